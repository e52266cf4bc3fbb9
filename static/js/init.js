// Start GOV.UK Frontend components; kept in a file so the content security policy needs no inline code.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();
