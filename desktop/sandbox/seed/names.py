"""Hand-written pools of names, companies, places and time zones for the demo organization."""

from __future__ import annotations

# (organization name, e-mail domain); every domain is under the reserved ``.example`` TLD.
ORGANIZATIONS: tuple[tuple[str, str], ...] = (
    ("Acme Demo", "acme-demo.example"),
    ("Northwind Labs", "northwind-labs.example"),
    ("Bluebird Analytics", "bluebird-analytics.example"),
    ("Harbor & Vine Consulting", "harborvine.example"),
    ("Summit Ridge Health", "summitridge.example"),
    ("Copperleaf Software", "copperleaf.example"),
    ("Lumen Learning Co", "lumen-learning.example"),
    ("Fernhill Partners", "fernhill.example"),
)

FIRST_NAMES: tuple[str, ...] = (
    "Olivia",
    "Liam",
    "Amara",
    "Noah",
    "Sofia",
    "Mateo",
    "Priya",
    "Ethan",
    "Chloé",
    "Lucas",
    "Hannah",
    "Kenji",
    "Isabela",
    "Omar",
    "Freya",
    "Daniel",
    "Mei",
    "Jonas",
    "Aisha",
    "Gabriel",
    "Zoe",
    "Rafael",
    "Ingrid",
    "Samuel",
    "Leila",
    "Tomás",
    "Nora",
    "Arjun",
    "Elena",
    "Marcus",
    "Yuki",
    "Fatima",
    "Henrik",
    "Grace",
    "Diego",
    "Ava",
    "Kwame",
    "Lena",
    "Owen",
    "Maya",
    "Felix",
    "Sara",
    "Julien",
    "Anika",
    "Ravi",
    "Clara",
    "Mason",
    "Lucía",
    "Theo",
    "Ines",
    "Benjamin",
    "Hana",
    "Adrian",
    "Rosa",
    "Victor",
    "Emily",
    "Khalid",
    "Alice",
    "Pedro",
    "Nina",
)

LAST_NAMES: tuple[str, ...] = (
    "Bennett",
    "Okafor",
    "Larsen",
    "Moreau",
    "Castillo",
    "Nakamura",
    "Sharma",
    "Fischer",
    "Oliveira",
    "Kowalski",
    "Murphy",
    "Haddad",
    "Lindqvist",
    "Chen",
    "Dubois",
    "García",
    "Patel",
    "Schneider",
    "Rossi",
    "Mensah",
    "Andersson",
    "Novak",
    "O'Brien",
    "Tanaka",
    "Silva",
    "Becker",
    "Ibrahim",
    "Walsh",
    "Kim",
    "Herrera",
    "Johansson",
    "Reyes",
    "Hughes",
    "Costa",
    "Varga",
    "Ahmed",
    "Fontaine",
    "Morgan",
    "Petrov",
    "Yamamoto",
    "Fernández",
    "Carter",
    "Nguyen",
    "Brennan",
    "Sato",
    "Keller",
    "Duarte",
    "Wright",
)

# Companies the invitees (prospects, customers, candidates) come from.
COMPANIES: tuple[tuple[str, str], ...] = (
    ("Globex", "globex.example"),
    ("Initech", "initech.example"),
    ("Umbrella Logistics", "umbrella-logistics.example"),
    ("Stark Solar", "starksolar.example"),
    ("Wayfarer Travel", "wayfarer.example"),
    ("Pinecrest Bank", "pinecrest.example"),
    ("Orbit Media", "orbitmedia.example"),
    ("Greenfield Foods", "greenfield.example"),
    ("Tidewater Realty", "tidewater.example"),
    ("Quartz Robotics", "quartzrobotics.example"),
    ("Maple & Oak Legal", "mapleoak.example"),
    ("Beacon Schools", "beaconschools.example"),
    ("Helix Biotech", "helixbio.example"),
    ("Riverstone Retail", "riverstone.example"),
    ("Aurora Energy", "aurora-energy.example"),
    ("Cobalt Security", "cobaltsec.example"),
)

# Personal mail providers, also on reserved names.
PERSONAL_DOMAINS: tuple[str, ...] = ("mail.example", "inbox.example", "post.example")

# (IANA zone, locale, time notation, office city)
ZONES: tuple[tuple[str, str, str, str], ...] = (
    ("America/New_York", "en", "12h", "New York"),
    ("America/Chicago", "en", "12h", "Chicago"),
    ("America/Denver", "en", "12h", "Denver"),
    ("America/Los_Angeles", "en", "12h", "San Francisco"),
    ("America/Toronto", "en", "12h", "Toronto"),
    ("America/Mexico_City", "es", "24h", "Mexico City"),
    ("America/Sao_Paulo", "pt", "24h", "São Paulo"),
    ("Europe/London", "en", "24h", "London"),
    ("Europe/Dublin", "en", "24h", "Dublin"),
    ("Europe/Paris", "fr", "24h", "Paris"),
    ("Europe/Berlin", "de", "24h", "Berlin"),
    ("Europe/Madrid", "es", "24h", "Madrid"),
    ("Europe/Lisbon", "pt", "24h", "Lisbon"),
    ("Africa/Johannesburg", "en", "24h", "Johannesburg"),
    ("Asia/Kolkata", "en", "12h", "Bengaluru"),
    ("Asia/Singapore", "en", "12h", "Singapore"),
    ("Asia/Tokyo", "en", "24h", "Tokyo"),
    ("Australia/Sydney", "en", "12h", "Sydney"),
    ("Pacific/Auckland", "en", "12h", "Auckland"),
)

# Zones invitees book from (a wider spread than the members').
INVITEE_ZONES: tuple[str, ...] = (
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Phoenix",
    "America/Vancouver",
    "America/Bogota",
    "America/Argentina/Buenos_Aires",
    "Europe/London",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Rome",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Hong_Kong",
    "Asia/Seoul",
    "Australia/Melbourne",
    "Africa/Lagos",
)

STREETS: tuple[str, ...] = (
    "120 Market Street, Suite 400",
    "88 King Street West, Floor 12",
    "15 Rue de Rivoli",
    "Friedrichstraße 68",
    "1 Harbour Square",
    "233 South Wacker Drive",
    "Calle de Alcalá 45",
    "7 Marina Boulevard",
    "Avenida Paulista 1578",
    "50 Pitt Street, Level 9",
)

GROUP_NAMES: tuple[str, ...] = ("Sales", "Customer Success", "Engineering", "People Ops")

# Wording for cancellations and reschedules.
HOST_CANCEL_REASONS: tuple[str | None, ...] = (
    "I have a conflict that came up, sorry! Please pick another time.",
    "Out sick today.",
    "Double-booked by mistake; I'll send a new invite.",
    "Travelling that day.",
    None,
)
INVITEE_CANCEL_REASONS: tuple[str | None, ...] = (
    "Something came up at work.",
    "We decided to postpone the project.",
    "Found the answer in the docs, thanks!",
    "Not needed anymore.",
    "Family emergency.",
    None,
)
RESCHEDULE_REASONS: tuple[str | None, ...] = (
    "Need to move this to later in the week.",
    "Conflict with another meeting.",
    "Running late, rescheduling.",
    None,
)

MEETING_NOTES: tuple[str, ...] = (
    "Bring the Q3 usage numbers.",
    "Customer asked about SSO and SCIM provisioning.",
    "Follow up with pricing for 40 seats.",
    "Second call; decision maker joining.",
    "Walk through the migration checklist.",
)

UTM_CAMPAIGNS: tuple[str, ...] = (
    "spring_launch",
    "webinar_followup",
    "q3_outreach",
    "partner_promo",
)
UTM_SOURCES: tuple[str, ...] = ("google", "linkedin", "newsletter", "partner_site", "twitter")
UTM_MEDIUMS: tuple[str, ...] = ("cpc", "email", "social", "referral")
UTM_CONTENTS: tuple[str, ...] = ("banner_a", "cta_footer", "hero_button")
UTM_TERMS: tuple[str, ...] = ("scheduling software", "meeting booking", "calendar tool")

COLORS: tuple[str, ...] = (
    "#0069ff",
    "#8247f5",
    "#e55cff",
    "#17e885",
    "#ffa600",
    "#ff4f00",
    "#00a2ff",
    "#f8e436",
    "#0ae8f0",
    "#ccf000",
    "#ff758e",
    "#1a9e75",
)

PHONE_PREFIXES: tuple[str, ...] = ("+1 212", "+1 415", "+1 312", "+44 20", "+49 30", "+33 1")
