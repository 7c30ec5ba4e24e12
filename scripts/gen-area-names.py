#!/usr/bin/env python3
"""Generates src/statistics/area_names_data.inc: every area name statistics tables use, mapped
to one code per area (statistics/area_names.h).

Sources (../shared/reference, see SOURCES.md there):
- countries/country-codes.csv: ISO 3166 alpha-2/alpha-3, M49 numeric, English names (official,
  UNTERM short and formal, CLDR), the M49 regions, sub-regions and intermediate regions;
- migration/UN_MigrantStockByOriginAndDestination_2019_clean.csv and migration/unhcr_2020.csv:
  every area name or code they hold must resolve (checked here, and again by
  area_names_test.cc with the C++ normalisation);
- the lists below: historical entities (ISO 3166-3), UN DESA's aggregates, UNHCR's own codes,
  the SDMX special codes (_T total, _O other, _U unknown; _O_NORTH and _O_SOUTH for UN DESA's
  "Other North" and "Other South") and common other spellings.

Codes: ISO 3166 alpha-3 for countries; M49 numeric (3 digits) for regions and for areas
without an ISO code (Channel Islands 830, the former Sudan 736); UNHCR's codes where it has its
own (XXA stateless, TIB Tibetan); Kosovo XKX (the code UNHCR and the World Bank use).
Run again when the sources change; the output is committed so builds need no shared/."""
import csv
import pathlib
import sys
import unicodedata

root = pathlib.Path(__file__).resolve().parent.parent
ref = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "reference"
out = root / "src" / "statistics" / "area_names_data.inc"

# Historical entities: ISO 3166-3 codes (M49 numeric for the former Sudan, which has none).
HISTORICAL = [
    ("SCG", "Serbia and Montenegro", ["891", "CS", "Serbia & Montenegro", "Serbia-Montenegro"]),
    ("ANT", "Netherlands Antilles", ["530", "AN", "Netherlands Antilles (former)"]),
    ("SUN", "USSR", ["810", "SU", "Soviet Union", "Union of Soviet Socialist Republics",
                     "Former USSR", "USSR (former)"]),
    ("YUG", "Yugoslavia", ["890", "YU", "Socialist Federal Republic of Yugoslavia",
                           "Former Yugoslavia", "Yugoslavia, Federal Republic of",
                           "Federal Republic of Yugoslavia", "Yugoslavia (former)"]),
    ("CSK", "Czechoslovakia", ["200", "Former Czechoslovakia",
                               "Czechoslovakia (former)"]),
    ("DDR", "German Democratic Republic", ["278", "DD", "East Germany",
                                           "Germany, Democratic Republic"]),
    ("DEU_FRG", "Federal Republic of Germany (West Germany)", ["280", "West Germany"]),
    ("YMD", "Democratic Yemen", ["720", "South Yemen", "Yemen, Democratic",
                                 "People's Democratic Republic of Yemen"]),
    ("YMN", "Yemen Arab Republic", ["886", "North Yemen"]),
    ("736", "Sudan (former)", ["Sudan [former]", "Former Sudan", "Sudan (before 2011)",
                               "Sudan (pre-2011)"]),
    ("PCZ", "Panama Canal Zone", ["592"]),
]
# ISO 3166-3 dropped "DEU_FRG" style ids are not SDMX-clean: West Germany is DEU's predecessor
# under the same code in most tables, so it is an alias of DEU below rather than an area.
HISTORICAL = [h for h in HISTORICAL if h[0] != "DEU_FRG"]

# Special codes (SDMX's reserved codes) and UNHCR's own codes; `non_area` marks codes that are
# not places (a total, "other", "unknown").
SPECIAL = [
    ("_T", "Total", True, ["Total", "All", "All countries", "Total (all countries)", "TOT"]),
    ("_O", "Other", True, ["Other", "Others", "Other countries", "Other countries or areas"]),
    # UN DESA's raw tables split "other" origins in two columns: two codes, or they would
    # collide as duplicate observations.
    ("_O_NORTH", "Other North", True, ["Other North", "Other (North)"]),
    ("_O_SOUTH", "Other South", True, ["Other South", "Other (South)"]),
    ("_U", "Unknown", True, ["Unknown", "UKN", "Various/unknown", "Various", "Unknown origin",
                             "Not specified", "Unspecified"]),
    ("XXA", "Stateless", False, ["STA", "Stateless", "Stateless persons"]),
    ("TIB", "Tibetan", False, ["Tibetans"]),
    ("XKX", "Kosovo (under UNSC res. 1244)", False,
     ["Kosovo", "XK", "Kosovo (S/RES/1244 (1999))", "Kosovo (UNSCR 1244)",
      "Kosovo (in accordance with UN Security Council resolution 1244 (1999))"]),
    ("830", "Channel Islands", False, ["CHI"]),
]

# UN DESA's aggregates with the codes its tables give them (regions; M49's own codes where M49
# has the grouping, in the regions read from country-codes.csv).
AGGREGATES = [
    ("199", "Least developed countries", ["LDC", "Least developed countries (LDC)"]),
    ("432", "Land-locked developing countries", ["LLDC",
                                                  "Land-locked Developing Countries (LLDC)",
                                                  "Landlocked developing countries"]),
    ("722", "Small island developing States", ["SIDS",
                                               "Small island developing States (SIDS)",
                                               "Small Island Developing States"]),
    ("901", "More developed regions", ["Developed regions"]),
    ("902", "Less developed regions", ["Developing regions"]),
    ("934", "Less developed regions, excluding least developed countries", []),
    ("1503", "High-income countries", ["High income"]),
    ("1517", "Middle-income countries", ["Middle income"]),
    ("1502", "Upper-middle-income countries", ["Upper middle income"]),
    ("1501", "Lower-middle-income countries", ["Lower middle income"]),
    ("1500", "Low-income countries", ["Low income"]),
    ("1518", "No income group available", []),
    ("1833", "Northern Africa and Western Asia", []),
    ("1831", "Central and Southern Asia", []),
    ("1832", "Eastern and South-Eastern Asia", []),
    ("1835", "Oceania (excluding Australia and New Zealand)", ["Oceania excluding Australia and New Zealand"]),
    ("1829", "Europe and Northern America", []),
]
# Names people use besides the reference's, by code.
EXTRA = {
    "BOL": ["Bolivia"], "BHS": ["Bahamas, The"], "BRN": ["Brunei"],
    "CIV": ["Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"], "CPV": ["Cape Verde"],
    "COD": ["Congo, Dem. Rep.", "DR Congo", "Congo (Democratic Republic of the)", "Zaire", "ZR",
            "Congo, Democratic Republic of the", "Dem. Rep. of the Congo"],
    "COG": ["Congo, Rep.", "Republic of the Congo", "Congo (Republic of)", "Congo-Brazzaville"],
    "CZE": ["Czech Republic"], "EGY": ["Egypt, Arab Rep."], "FSM": ["Micronesia (Fed. States of)",
                                                                  "Micronesia, Fed. Sts."],
    "GMB": ["Gambia, The"], "GBR": ["United Kingdom", "Great Britain", "UK"],
    "HKG": ["China, Hong Kong SAR", "Hong Kong SAR, China", "Hong Kong, China"],
    "MAC": ["China, Macao SAR", "Macao SAR, China", "Macau", "Macao"],
    "IRN": ["Iran", "Iran, Islamic Rep."], "KOR": ["Korea, Rep.", "South Korea"],
    "PRK": ["Dem. People's Republic of Korea", "Korea, Dem. People's Rep.", "North Korea"],
    "LAO": ["Laos", "Lao PDR"], "MDA": ["Moldova"], "MKD": ["The former Yugoslav Republic of Macedonia",
                                                            "Macedonia", "North Macedonia"],
    "MMR": ["Burma"], "PSE": ["Occupied Palestinian Territory", "Palestinian", "West Bank and Gaza",
                              "Palestine, State of"],
    "RUS": ["Russia"], "SWZ": ["Swaziland"], "SYR": ["Syria"], "TLS": ["East Timor", "TP"],
    "TUR": ["Turkey", "Türkiye"], "TZA": ["Tanzania", "United Republic of Tanzania"],
    "USA": ["United States", "USA", "U.S."], "VEN": ["Venezuela", "Venezuela, RB"],
    "VNM": ["Vietnam", "Viet Nam"], "VIR": ["United States Virgin Islands", "Virgin Islands (U.S.)"],
    "VGB": ["British Virgin Islands"], "WLF": ["Wallis and Futuna Islands"],
    "SHN": ["Saint Helena", "Saint Helena, Ascension and Tristan da Cunha"],
    "SXM": ["Sint Maarten (Dutch part)"], "MAF": ["Saint Martin (French part)"],
    "FLK": ["Falkland Islands (Malvinas)"], "VAT": ["Holy See", "Vatican"],
    "BES": ["Bonaire, Sint Eustatius and Saba", "Caribbean Netherlands"],
    "NLD": ["Netherlands (Kingdom of the)"], "DEU": ["West Germany", "Federal Republic of Germany"],
    "KGZ": ["Kyrgyz Republic"], "SVK": ["Slovak Republic"], "YEM": ["Yemen, Rep."],
    "LCA": ["St. Lucia"], "KNA": ["St. Kitts and Nevis"], "VCT": ["St. Vincent and the Grenadines"],
    "SRB": ["Serbia and Kosovo (S/RES/1244 (1999))", "Serbia (and Kosovo: S/RES/1244 (1999))"],
    "TWN": ["Taiwan, Province of China", "China, Taiwan Province of China"],
    "REU": ["Réunion"], "CUW": ["Curaçao"], "BLM": ["Saint Barthélemy"],
}


def normalise(s):
    """A Python mirror of area_names.cc's Normalise, to find collisions here."""
    s = s.replace("&", " and ")
    out = []
    for ch in unicodedata.normalize("NFKD", s):
        if unicodedata.combining(ch):
            continue
        o = {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
             "ı": "i", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L"}.get(ch, ch)
        out.append(o)
    s = "".join(out)
    s = "".join(c for c in s if c not in "'’`")
    s = "".join(c.lower() if c.isascii() and c.isalnum() else " " for c in s)
    tokens = [t for t in s.split() if t != "the"]
    if len(tokens) > 1 and tokens[-1].isdigit():
        tokens = tokens[:-1]
    return " ".join(tokens)


def m49(code):
    code = code.strip()
    return code.zfill(3) if code else ""


# areas: code -> [name, region, historical, non_area, [(alias, rank)]]; rank 0 wins collisions.
areas = {}


def add(code, name, region=False, historical=False, non_area=False):
    if code not in areas:
        areas[code] = [name, region, historical, non_area, []]
    return areas[code]


def alias(code, text, rank):
    if text and text.strip():
        areas[code][4].append((text.strip(), rank))


with open(ref / "countries" / "country-codes.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
regions = {"001": "World"}
for d in rows:
    for c, n in (("Region Code", "Region Name"), ("Sub-region Code", "Sub-region Name"),
                 ("Intermediate Region Code", "Intermediate Region Name")):
        if d[c].strip():
            regions[m49(d[c])] = d[n].strip()
for code, name in sorted(regions.items()):
    add(code, name, region=True)
    alias(code, name, 0)
    alias(code, code, 0)
alias("419", "Latin America and Caribbean", 0)
alias("001", "WORLD", 0)
alias("001", "900", 0)  # UN DESA's code for the world
alias("202", "947", 0)  # UN DESA's code for Sub-Saharan Africa
alias("002", "903", 0)
alias("142", "935", 0)
alias("150", "908", 0)
alias("021", "905", 0)
alias("009", "909", 0)
alias("419", "904", 0)
alias("419", "1830", 0)
alias("053", "927", 0)
for code, name, al in AGGREGATES:
    add(code, name, region=True)
    alias(code, name, 0)
    alias(code, code, 0)
    for a in al:
        alias(code, a, 1)

for d in rows:
    iso3 = d["ISO3166-1-Alpha-3"].strip()
    short = d["UNTERM English Short"].strip().removesuffix(" *").removesuffix(" (the)")
    name = short or d["official_name_en"].strip()
    add(iso3, name)
    alias(iso3, iso3, 0)
    alias(iso3, d["ISO3166-1-Alpha-2"], 0)
    alias(iso3, m49(d["M49"]), 0)
    alias(iso3, d["official_name_en"], 0)
    alias(iso3, d["UNTERM English Short"], 0)
    alias(iso3, d["UNTERM English Formal"], 1)
    alias(iso3, d["CLDR display name"], 1)
for code, names in EXTRA.items():
    for a in names:
        alias(code, a, 0)
areas["CIV"][0] = "Côte d'Ivoire"
areas["TUR"][0] = "Türkiye"
areas["HKG"][0] = "China, Hong Kong SAR"
areas["MAC"][0] = "China, Macao SAR"
areas["GBR"][0] = "United Kingdom"
areas["USA"][0] = "United States of America"
areas["VAT"][0] = "Holy See"
areas["PSE"][0] = "State of Palestine"
for code, name, al in HISTORICAL:
    add(code, name, historical=True)
    alias(code, name, 0)
    alias(code, code, 0)
    for a in al:
        alias(code, a, 0)
for code, name, non_area, al in SPECIAL:
    add(code, name, non_area=non_area)
    alias(code, name, 0)
    alias(code, code, 0)
    for a in al:
        alias(code, a, 0)

# Collisions: the lower rank keeps the name; equal ranks are an error.
owner = {}
for code, (_, _, _, _, al) in areas.items():
    for text, rank in al:
        key = normalise(text)
        if not key:
            continue
        prev = owner.get(key)
        if prev is None or prev[0] == code:
            if prev is None or rank < prev[1]:
                owner[key] = (code, rank, text)
        elif rank < prev[1]:
            owner[key] = (code, rank, text)
        elif rank == prev[1]:
            sys.exit(f"gen-area-names: '{text}' ({code}) and '{prev[2]}' ({prev[0]}) collide")
kept = {code: [] for code in areas}
for key, (code, _, text) in owner.items():
    kept[code].append(text)

# Every name and code in the two migration tables must resolve.
unresolved = set()
mig = ref / "migration"
with open(mig / "UN_MigrantStockByOriginAndDestination_2019_clean.csv", newline="",
          encoding="utf-8-sig") as f:
    r = csv.reader(f)
    header = next(r)
    names = set(header[2:])
    names.update(row[1] for row in r)
with open(mig / "unhcr_2020.csv", newline="", encoding="utf-8-sig") as f:
    r = csv.reader(f)
    next(r)
    for row in r:
        names.update(x for x in row[1:3] if x)
for n in sorted(names):
    if normalise(n) not in owner:
        unresolved.add(n)
if unresolved:
    sys.exit("gen-area-names: unresolved names in the migration tables: " + ", ".join(
        sorted(unresolved)))


def c(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


lines = [
    "// Generated by scripts/gen-area-names.py from ../shared/reference; do not edit.",
    "// {code, name, region, historical, non_area, aliases separated by '|'}",
    "constexpr AreaRecord kAreas[] = {",
]
for code in sorted(areas):
    name, region, historical, non_area, _ = areas[code]
    al = "|".join(sorted(set(kept[code])))
    lines.append(f"    {{{c(code)}, {c(name)}, {str(region).lower()}, {str(historical).lower()}, "
                 f"{str(non_area).lower()}, {c(al)}}},")
lines.append("};")
# Accent folding for U+00C0..U+024F as the normalisation above does it (area_names.cc uses it).
lines.append("// Latin letters U+00C0..U+024F folded to ASCII (\"\" = not a letter: a separator).")
lines.append("constexpr const char* kFold[] = {")
fold = []
for cp in range(0xC0, 0x250):
    f = normalise(chr(cp))
    fold.append(c(f if f.isalnum() else ""))
for i in range(0, len(fold), 16):
    lines.append("    " + ", ".join(fold[i:i + 16]) + ",")
lines.append("};")
out.write_text("\n".join(lines) + "\n", encoding="utf-8")
print(f"wrote {out}: {len(areas)} areas, {len(owner)} names; "
      f"{len(names)} migration-table names all resolve")
