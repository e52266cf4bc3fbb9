"""Places for synthetic addresses: Leicester and Leicestershire neighbourhoods with real street names.

House numbers and postcode units are made up, but every postcode has a real outward code and sector for
its neighbourhood (LE4 6 for Belgrave, LE2 0 for Highfields) and the valid UK unit format. The community
weights say where a synthetic person is likely to live, so that Belgrave and Rushey Mead have mostly
Gujarati names and Saffron and Braunstone mostly White British ones, as in the city.
"""

from __future__ import annotations

from dataclasses import dataclass

# Letters allowed in the last two characters of a UK postcode (no C, I, K, M, O or V).
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class Area:
    outward: str
    sectors: tuple[int, ...]
    neighbourhood: str
    town: str
    locality: str
    streets: tuple[str, ...]
    # Relative chance that someone from each community lives here: white, indian, muslim, black, other.
    white: float = 1.0
    indian: float = 1.0
    muslim: float = 1.0
    black: float = 1.0
    other: float = 1.0


LEICESTER_AREAS: tuple[Area, ...] = (
    Area("LE1", (1, 3, 5, 6, 7), "City Centre", "Leicester", "East",
         ("Rutland Street", "Charles Street", "Wellington Street", "Humberstone Gate", "Church Gate",
          "Wharf Street North", "Granby Street", "Highcross Street"),
         white=2, indian=1, muslim=1, black=2, other=4),
    Area("LE2", (0, 1), "Highfields", "Leicester", "South",
         ("St Peter's Road", "Melbourne Road", "Mere Road", "Sparkenhoe Street", "Highfield Street",
          "Conduit Street", "Evington Road", "Saxby Street"),
         white=1, indian=4, muslim=10, black=8, other=4),
    Area("LE2", (1, 2), "Clarendon Park", "Leicester", "South",
         ("Queens Road", "Clarendon Park Road", "Howard Road", "Lorne Road", "Montague Road"),
         white=5, indian=2, muslim=1, black=2, other=3),
    Area("LE2", (2, 3), "Stoneygate", "Leicester", "South",
         ("London Road", "Stoneygate Road", "Holmfield Road", "Elms Road", "Francis Street"),
         white=4, indian=5, muslim=3, black=1, other=2),
    Area("LE2", (3, 6), "Knighton", "Leicester", "South",
         ("Welford Road", "Shanklin Drive", "Knighton Church Road", "Carisbrooke Road", "Knighton Lane East"),
         white=6, indian=4, muslim=1, black=1, other=2),
    Area("LE2", (6, 7, 8), "Aylestone", "Leicester", "South",
         ("Aylestone Road", "Middleton Street", "Marsden Lane", "Wigston Lane", "Grace Road", "Cavendish Road"),
         white=9, indian=2, muslim=1, black=2, other=2),
    Area("LE2", (7, 9), "Saffron and Eyres Monsell", "Leicester", "South",
         ("Saffron Lane", "Hillsborough Road", "Pasley Road", "Sturdee Road", "Gilmorton Avenue",
          "Stonesby Avenue"),
         white=12, indian=1, muslim=1, black=2, other=1),
    Area("LE3", (0, 1), "Westcotes", "Leicester", "West",
         ("Narborough Road", "Upperton Road", "Hinckley Road", "Westcotes Drive", "Kate Street", "Cranmer Street"),
         white=6, indian=3, muslim=2, black=3, other=4),
    Area("LE3", (1, 2), "Braunstone", "Leicester", "West",
         ("Braunstone Avenue", "Cort Crescent", "Winstanley Drive", "Hand Avenue", "Woodshawe Rise",
          "Cantrell Road"),
         white=12, indian=1, muslim=1, black=2, other=1),
    Area("LE3", (5, 6), "Fosse and Newfoundpool", "Leicester", "West",
         ("Fosse Road North", "Woodgate", "Tudor Road", "Ivanhoe Street", "Beatrice Road"),
         white=6, indian=4, muslim=2, black=2, other=3),
    Area("LE3", (6, 9), "New Parks", "Leicester", "West",
         ("Aikman Avenue", "New Parks Boulevard", "Pindar Road", "Dominion Road", "Glenfield Road"),
         white=11, indian=2, muslim=1, black=2, other=1),
    Area("LE4", (0, 1, 2), "Beaumont Leys", "Leicester", "North",
         ("Beaumont Leys Lane", "Strasbourg Drive", "Bennion Road", "Home Farm Square", "Krefeld Way",
          "Astill Lodge Road"),
         white=8, indian=3, muslim=1, black=3, other=2),
    Area("LE4", (1, 2), "Mowmacre and Stocking Farm", "Leicester", "North",
         ("Mowmacre Hill", "Halifax Drive", "Marwood Road", "Border Drive", "Ravensbridge Drive"),
         white=10, indian=2, muslim=1, black=2, other=1),
    Area("LE4", (5, 6), "Belgrave", "Leicester", "North",
         ("Belgrave Road", "Loughborough Road", "Cossington Street", "Marfitt Street", "Harrison Road",
          "Buller Road", "Checketts Road", "Law Street"),
         white=1, indian=14, muslim=2, black=1, other=2),
    Area("LE4", (6, 7), "Rushey Mead", "Leicester", "North",
         ("Melton Road", "Gleneagles Avenue", "Troon Way", "Harrison Road", "Lockerbie Walk", "Sandringham Avenue"),
         white=2, indian=12, muslim=1, black=1, other=2),
    Area("LE4", (9,), "Humberstone Garden", "Leicester", "North",
         ("Keyham Lane", "Hungarton Boulevard", "Colchester Road"),
         white=4, indian=5, muslim=2, black=1, other=2),
    Area("LE5", (0, 1), "Spinney Hills and North Evington", "Leicester", "East",
         ("East Park Road", "St Saviours Road", "Green Lane Road", "Ethel Road", "Asfordby Street",
          "Bolton Road", "Kimberley Road"),
         white=1, indian=6, muslim=10, black=3, other=3),
    Area("LE5", (3, 4), "Humberstone", "Leicester", "East",
         ("Uppingham Road", "Humberstone Drive", "Ambassador Road", "Scraptoft Lane", "Coleman Road"),
         white=6, indian=4, muslim=2, black=2, other=2),
    Area("LE5", (4, 5), "Netherhall and Thurnby Lodge", "Leicester", "East",
         ("Nursery Road", "Armadale Drive", "Dudley Avenue", "Thurncourt Road", "Davenport Road"),
         white=10, indian=1, muslim=1, black=2, other=1),
    Area("LE5", (5, 6), "Evington", "Leicester", "East",
         ("Evington Lane", "Wakerley Road", "Whitehall Road", "Downing Drive", "Goodwood Road", "Stoughton Drive"),
         white=3, indian=7, muslim=5, black=2, other=2),
)

COUNTY_AREAS: tuple[Area, ...] = (
    Area("LE11", (1, 2, 3, 4, 5), "Loughborough", "Loughborough", "Charnwood",
         ("Forest Road", "Ashby Road", "Nottingham Road", "Derby Road", "Park Road", "Storer Road",
          "Shelthorpe Road", "Knightthorpe Road"),
         white=8, indian=3, muslim=2, black=1, other=2),
    Area("LE12", (9,), "Shepshed", "Loughborough", "Charnwood",
         ("Charnwood Road", "Field Street", "Hall Croft", "Ashby Road Central"), white=10, indian=1),
    Area("LE7", (1, 2), "Syston", "Leicester", "Charnwood",
         ("Melton Road", "High Street", "Fosse Way", "Broad Street"), white=8, indian=3),
    Area("LE10", (0, 1, 2, 3), "Hinckley", "Hinckley", "Hinckley and Bosworth",
         ("Rugby Road", "Coventry Road", "Hollycroft", "Station Road", "Brookside", "Ashby Road"), white=12, indian=1),
    Area("LE9", (7,), "Earl Shilton", "Leicester", "Hinckley and Bosworth",
         ("Wood Street", "Keats Lane", "Hinckley Road", "Station Road"), white=12),
    Area("LE67", (3, 4), "Coalville", "Coalville", "North West Leicestershire",
         ("London Road", "Ashby Road", "Belvoir Road", "Hugglescote Road", "Mantle Lane"), white=12),
    Area("LE65", (1, 2), "Ashby-de-la-Zouch", "Ashby-de-la-Zouch", "North West Leicestershire",
         ("Market Street", "Burton Road", "Tamworth Road", "Wood Street"), white=12),
    Area("LE13", (0, 1), "Melton Mowbray", "Melton Mowbray", "Melton and Harborough",
         ("Burton Road", "Scalford Road", "Nottingham Road", "Asfordby Road", "Dalby Road"), white=12, indian=1),
    Area("LE16", (7, 8, 9), "Market Harborough", "Market Harborough", "Melton and Harborough",
         ("Northampton Road", "Coventry Road", "Leicester Road", "Great Bowden Road", "Logan Street"), white=12),
    Area("LE17", (4,), "Lutterworth", "Lutterworth", "Melton and Harborough",
         ("Bitteswell Road", "Leicester Road", "Coventry Road", "Woodmarket"), white=12),
    Area("LE18", (1, 2, 3, 4), "Wigston", "Wigston", "Blaby, Oadby and Wigston",
         ("Bull Head Street", "Leicester Road", "Aylestone Lane", "Welford Road", "Moat Street"),
         white=8, indian=4, muslim=1, black=1),
    Area("LE2", (4, 5), "Oadby", "Leicester", "Blaby, Oadby and Wigston",
         ("London Road", "Harborough Road", "Stoughton Road", "Uplands Road", "Glen Road"),
         white=6, indian=8, muslim=2, black=1),
    Area("LE19", (2, 3), "Narborough and Enderby", "Leicester", "Blaby, Oadby and Wigston",
         ("Leicester Road", "Desford Road", "King Street", "Mill Lane"), white=12, indian=1),
)

# Care homes are invented names placed in real neighbourhoods.
CARE_HOMES = (
    "Abbey Court Care Home", "Beaumont Lodge Care Home", "Evington Grange Nursing Home",
    "Knighton Mews Care Home", "The Willows Care Home", "Westcotes House", "Rushey Mead Manor",
    "Humberstone Hall Nursing Home", "Saffron Court Care Home", "Aylestone Lodge", "Stoneygate House Nursing Home",
    "Belgrave Court Care Home", "Charnwood View Care Home", "The Limes Nursing Home", "Brookside House",
)

# Ofcom keeps these for drama, so they can never ring a real person.
LANDLINE_PREFIX = "0116 496 0"
MOBILE_PREFIX = "07700 900"


@dataclass(frozen=True)
class TeamSpec:
    name: str
    kind: str
    locality: str = ""
    handles: tuple[str, ...] = ()  # which cohorts of people it holds: see generator.Cohort


LOCALITY = "locality"
HOSPITAL = "hospital"
REVIEWING = "reviewing"
SAFEGUARDING = "safeguarding"
DIRECT_PAYMENTS = "direct_payments"
OCCUPATIONAL_THERAPY = "occupational_therapy"
FRONT_DOOR = "front_door"

# Team names after Leicestershire's (GUIDE §6.2), for the city; localities match LEICESTER_AREAS.
LEICESTER_TEAMS = (
    TeamSpec("Older Adults: City East", LOCALITY, "East"),
    TeamSpec("Older Adults: City North", LOCALITY, "North"),
    TeamSpec("Older Adults: City South", LOCALITY, "South"),
    TeamSpec("Older Adults: City West", LOCALITY, "West"),
    TeamSpec("Working Age Adults (Physical and Sensory)", LOCALITY, "Citywide"),
    TeamSpec("Working Age Adults (Learning Disability)", LOCALITY, "Citywide"),
    TeamSpec("Working Age Adults (Mental Health)", LOCALITY, "Citywide"),
    TeamSpec("Hospital Social Work and Reablement", HOSPITAL, "Citywide"),
    TeamSpec("Reviewing Team", REVIEWING, "Citywide"),
    TeamSpec("Adult Safeguarding Hub", SAFEGUARDING, "Citywide"),
    TeamSpec("Direct Payments Support Team", DIRECT_PAYMENTS, "Citywide"),
    TeamSpec("Occupational Therapy and Assistive Technology", OCCUPATIONAL_THERAPY, "Citywide"),
    TeamSpec("Contact and Response (Front Door)", FRONT_DOOR, "Citywide"),
)

# The small profile folds the four city localities into two so each team still has a real caseload.
SMALL_TEAMS = (
    TeamSpec("Older Adults: City East", LOCALITY, "East"),
    TeamSpec("Older Adults: City West", LOCALITY, "West"),
    *LEICESTER_TEAMS[4:],
)
SMALL_LOCALITY_MERGE = {"North": "West", "South": "East"}

COUNTY_TEAMS = (
    TeamSpec("Older Adults: Charnwood", LOCALITY, "Charnwood"),
    TeamSpec("Older Adults: Hinckley and Bosworth", LOCALITY, "Hinckley and Bosworth"),
    TeamSpec("Older Adults: North West Leicestershire", LOCALITY, "North West Leicestershire"),
    TeamSpec("Older Adults: Melton and Harborough", LOCALITY, "Melton and Harborough"),
    TeamSpec("Older Adults: Blaby, Oadby and Wigston", LOCALITY, "Blaby, Oadby and Wigston"),
    TeamSpec("Working Age Adults (Physical and Sensory)", LOCALITY, "Countywide"),
    TeamSpec("Working Age Adults (Learning Disability)", LOCALITY, "Countywide"),
    TeamSpec("Working Age Adults (Mental Health)", LOCALITY, "Countywide"),
    TeamSpec("Reablement and Crisis Response", HOSPITAL, "Countywide"),
    TeamSpec("Countywide Reviewing Team", REVIEWING, "Countywide"),
    TeamSpec("Safeguarding Adults Hub", SAFEGUARDING, "Countywide"),
    TeamSpec("Direct Payments and Personal Budgets", DIRECT_PAYMENTS, "Countywide"),
    TeamSpec("Occupational Therapy; Aids, Adaptations and Assistive Technology", OCCUPATIONAL_THERAPY,
             "Countywide"),
    TeamSpec("Adult Social Care Front Door", FRONT_DOOR, "Countywide"),
)

# Invented GP practices and community places that appear in contact and case-note wording.
GP_PRACTICES = (
    "Belgrave Medical Centre", "Highfields Surgery", "Saffron Group Practice", "Westcotes Health Centre",
    "Evington Medical Centre", "Humberstone Surgery", "Aylestone Health Centre", "Beaumont Leys Surgery",
    "Rushey Mead Health Centre", "Knighton Park Surgery",
)
HOSPITAL_WARDS = (
    "Ward 7, Leicester Royal Infirmary", "Ward 23, Leicester Royal Infirmary", "the acute frailty unit, "
    "Leicester Royal Infirmary", "Ward 15, Leicester General Hospital", "the discharge hub, Glenfield Hospital",
    "the Bradgate Mental Health Unit",
)
