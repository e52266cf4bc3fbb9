#!/usr/bin/env bash
# Copy the compiled GOV.UK Frontend, MoJ Frontend, accessible-autocomplete and htmx assets, at the
# versions pinned in frontend/package.json, into static/vendor/. The result is committed, so neither
# `make run` nor CI needs npm. Run again after changing a version, and commit static/vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
cp frontend/package.json "$work/"
(cd "$work" && npm install --no-audit --no-fund --silent)
nm="$work/node_modules"
out=static/vendor
rm -rf "$out" && mkdir -p "$out/govuk-frontend" "$out/moj/assets" "$out/accessible-autocomplete" "$out/htmx"

g="$nm/govuk-frontend/dist/govuk"
cp "$g/govuk-frontend.min.css" "$g/govuk-frontend.min.js" "$out/govuk-frontend/"
cp -r "$g/assets" "$out/govuk-frontend/assets"
# The compiled CSS points at /assets/; make the paths relative so the files work under /static/.
sed -i 's#url(/assets/#url(assets/#g' "$out/govuk-frontend/govuk-frontend.min.css"

m="$nm/@ministryofjustice/frontend/moj"
cp "$m/moj-frontend.min.css" "$m/moj-frontend.min.js" "$out/moj/"
cp -r "$m/assets/images" "$out/moj/assets/images"
sed -i -e 's#url(/assets/fonts/#url(../govuk-frontend/assets/fonts/#g' -e 's#url(/assets/images/#url(assets/images/#g' \
  "$out/moj/moj-frontend.min.css"

cp "$nm/accessible-autocomplete/dist/accessible-autocomplete.min.css" \
   "$nm/accessible-autocomplete/dist/accessible-autocomplete.min.js" "$out/accessible-autocomplete/"
cp "$nm/htmx.org/dist/htmx.min.js" "$out/htmx/"
# The packages' source maps are not vendored; drop the comments that point at them, or production's
# collectstatic (WhiteNoise's manifest storage) stops on the first missing .map file.
find "$out" \( -name '*.js' -o -name '*.css' \) -exec sed -i -E \
  -e 's#//\# sourceMappingURL=[^ ]+\.map$##' -e 's#/\*\# sourceMappingURL=[^ ]+\.map ?\*/##' {} +
for p in govuk-frontend @ministryofjustice/frontend accessible-autocomplete htmx.org; do
  node -e "const p=require('$nm/$p/package.json'); console.log(p.name+' '+p.version+' '+(p.license||''))"
done > "$out/VERSIONS.txt"
rm -rf "$work"
echo "vendored into $out:"; cat "$out/VERSIONS.txt"
