//! Country boundaries as shared arcs, and distances to them.
//!
//! `data/geo/borders.tsv` holds Natural Earth's country polygons cut into
//! arcs at every point where the neighbour changes (as TopoJSON does), each
//! arc simplified once, so that two neighbours share exactly the same line.
//! A country is the set of arcs that bound it. Because shared arcs are
//! identical, the outer border of a union of countries is just the arcs
//! used an odd number of times by its members: borders between two members
//! cancel out, and no polygon union is ever computed.

use crate::compile::{Reader, Writer};
use std::collections::BTreeMap;

/// Mean Earth radius (km), as used for great-circle distances.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;
const KM_PER_DEG: f64 = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;
/// Coordinates of `borders.tsv` are polyline-encoded in 1/10,000 degree.
const PRECISION: f64 = 1e4;

/// One arc: points as (lat, lon) and its bounding box.
#[derive(Debug, Clone, PartialEq)]
struct Arc {
    pts: Vec<(f64, f64)>,
    min_lat: f64,
    max_lat: f64,
}

/// A country of the boundary file.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryShape {
    pub code: String,
    pub name: String,
    /// Natural Earth's label point (inside the country, for display).
    pub label_lat: f64,
    pub label_lon: f64,
    arcs: Vec<u32>,
}

/// The nearest point of a border.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    /// Great-circle distance in km.
    pub km: f64,
    pub lat: f64,
    pub lon: f64,
    /// Index of the arc it lies on (to find whose border it is).
    pub arc: u32,
}

/// All boundaries, parsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Borders {
    arcs: Vec<Arc>,
    countries: Vec<CountryShape>,
    by_code: BTreeMap<String, usize>,
}

impl Borders {
    /// Parses the text of `borders.tsv`. Malformed lines are skipped and
    /// counted in the returned warnings.
    pub fn parse(text: &str) -> (Borders, Vec<String>) {
        let mut b = Borders::default();
        let mut warnings = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            match cols.as_slice() {
                ["arc", enc] => {
                    let pts = decode_polyline(enc, PRECISION);
                    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
                    for &(lat, _) in &pts {
                        lo = lo.min(lat);
                        hi = hi.max(lat);
                    }
                    b.arcs.push(Arc {
                        pts,
                        min_lat: lo,
                        max_lat: hi,
                    });
                }
                ["country", cc, name, lat, lon, ids] => {
                    let arcs: Vec<u32> = ids.split(',').filter_map(|s| s.parse().ok()).collect();
                    let (Ok(lat), Ok(lon)) = (lat.parse(), lon.parse()) else {
                        warnings.push(format!("borders.tsv:{}: bad label point", n + 1));
                        continue;
                    };
                    b.by_code.insert(cc.to_string(), b.countries.len());
                    b.countries.push(CountryShape {
                        code: cc.to_string(),
                        name: name.to_string(),
                        label_lat: lat,
                        label_lon: lon,
                        arcs,
                    });
                }
                _ => warnings.push(format!("borders.tsv:{}: unreadable line", n + 1)),
            }
        }
        let n_arcs = b.arcs.len() as u32;
        for c in &mut b.countries {
            let before = c.arcs.len();
            c.arcs.retain(|&a| a < n_arcs);
            if c.arcs.len() != before {
                warnings.push(format!("borders.tsv: {}: arc id out of range", c.code));
            }
        }
        (b, warnings)
    }

    /// Writes the parsed boundaries for [`Borders::decode`] (the
    /// gazetteer embeds them so, compiled by the build script).
    #[cfg_attr(not(test), allow(dead_code))] // for build.rs and the tests
    pub(crate) fn encode(&self, w: &mut Writer) {
        w.len(self.arcs.len());
        for a in &self.arcs {
            w.len(a.pts.len());
            w.f64(a.min_lat);
            w.f64(a.max_lat);
            // as the polyline has them: whole 1/10,000 degrees (which
            // divide back to exactly the same f64)
            for &(lat, lon) in &a.pts {
                for x in [lat, lon] {
                    let q = (x * PRECISION).round() as i32;
                    assert!(
                        f64::from(q) / PRECISION == x,
                        "{x} is not in 1/10,000 degree"
                    );
                    w.u32(q as u32);
                }
            }
        }
        w.len(self.countries.len());
        for c in &self.countries {
            w.str(&c.code);
            w.str(&c.name);
            w.f64(c.label_lat);
            w.f64(c.label_lon);
            w.len(c.arcs.len());
            for &a in &c.arcs {
                w.u32(a);
            }
        }
    }

    /// Reads back what [`Borders::encode`] wrote.
    pub(crate) fn decode(r: &mut Reader) -> Option<Borders> {
        let n = r.len()?;
        let mut arcs = Vec::with_capacity(n);
        for _ in 0..n {
            let n_pts = r.len()?;
            let (min_lat, max_lat) = (r.f64()?, r.f64()?);
            let pts = r
                .bytes(n_pts.checked_mul(8)?)?
                .chunks_exact(8)
                .map(|c| {
                    let f = |b: &[u8]| f64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]]));
                    (f(&c[..4]) / PRECISION, f(&c[4..]) / PRECISION)
                })
                .collect();
            arcs.push(Arc {
                pts,
                min_lat,
                max_lat,
            });
        }
        let n = r.len()?;
        let mut b = Borders {
            arcs,
            countries: Vec::with_capacity(n),
            by_code: BTreeMap::new(),
        };
        for _ in 0..n {
            let code = r.str()?.to_string();
            let name = r.str()?.to_string();
            let (label_lat, label_lon) = (r.f64()?, r.f64()?);
            let n_arcs = r.len()?;
            let arcs = r.u32s(n_arcs)?;
            // as `parse` does: a later line of the same code wins
            b.by_code.insert(code.clone(), b.countries.len());
            b.countries.push(CountryShape {
                code,
                name,
                label_lat,
                label_lon,
                arcs,
            });
        }
        Some(b)
    }

    pub fn country(&self, code: &str) -> Option<&CountryShape> {
        self.by_code.get(code).map(|&i| &self.countries[i])
    }

    pub fn countries(&self) -> &[CountryShape] {
        &self.countries
    }

    pub fn n_arcs(&self) -> usize {
        self.arcs.len()
    }

    pub fn n_points(&self) -> usize {
        self.arcs.iter().map(|a| a.pts.len()).sum()
    }

    /// Approximate heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.arcs
            .iter()
            .map(|a| a.pts.capacity() * 16 + std::mem::size_of::<Arc>())
            .sum::<usize>()
            + self
                .countries
                .iter()
                .map(|c| c.arcs.capacity() * 4 + c.code.len() + c.name.len() + 80)
                .sum::<usize>()
    }

    /// The arcs bounding the union of `codes` (arcs shared by two of them
    /// cancel out). Unknown codes are ignored.
    pub fn union_arcs<S: AsRef<str>>(&self, codes: &[S]) -> Vec<u32> {
        let mut count: BTreeMap<u32, u32> = BTreeMap::new();
        for c in codes {
            if let Some(shape) = self.country(c.as_ref()) {
                for &a in &shape.arcs {
                    *count.entry(a).or_default() += 1;
                }
            }
        }
        count
            .into_iter()
            .filter(|(_, k)| k % 2 == 1)
            .map(|(a, _)| a)
            .collect()
    }

    /// The arcs of one country.
    pub fn arcs_of(&self, code: &str) -> Option<&[u32]> {
        self.country(code).map(|c| c.arcs.as_slice())
    }

    /// Whether (lat, lon) lies inside the area bounded by `arcs` (even-odd
    /// rule in the longitude/latitude plane, as the polygons are drawn).
    pub fn inside(&self, arcs: &[u32], lat: f64, lon: f64) -> bool {
        let mut inside = false;
        for &a in arcs {
            let arc = &self.arcs[a as usize];
            if arc.pts.len() < 2 {
                continue;
            }
            for w in arc.pts.windows(2) {
                let ((lat1, lon1), (lat2, lon2)) = (w[0], w[1]);
                if (lat1 > lat) != (lat2 > lat) {
                    let x = lon1 + (lat - lat1) * (lon2 - lon1) / (lat2 - lat1);
                    if lon < x {
                        inside = !inside;
                    }
                }
            }
        }
        inside
    }

    /// The nearest point of `arcs` to (lat, lon). Segments along the
    /// antimeridian (where Natural Earth cuts polygons) are not borders and
    /// are skipped.
    pub fn nearest(&self, arcs: &[u32], lat: f64, lon: f64) -> Option<Nearest> {
        let mut best: Option<Nearest> = None;
        let kx = (lat.to_radians().cos() * KM_PER_DEG).max(1e-6);
        for &a in arcs {
            let arc = &self.arcs[a as usize];
            if let Some(b) = &best {
                // no point of the arc can be nearer than its latitude gap
                let gap = if lat < arc.min_lat {
                    arc.min_lat - lat
                } else if lat > arc.max_lat {
                    lat - arc.max_lat
                } else {
                    0.0
                };
                if gap * KM_PER_DEG * 0.999 > b.km {
                    continue;
                }
            }
            if arc.pts.len() == 1 {
                consider(&mut best, a, lat, lon, arc.pts[0]);
                continue;
            }
            for w in arc.pts.windows(2) {
                let ((lat1, lon1), (lat2, lon2)) = (w[0], w[1]);
                if lon1.abs() > 179.999 && lon2.abs() > 179.999 {
                    continue;
                }
                // closest point in a local equirectangular plane centred on
                // the query point, then its great-circle distance
                let (x1, y1) = (wrap(lon1 - lon) * kx, (lat1 - lat) * KM_PER_DEG);
                let (x2, y2) = (wrap(lon2 - lon) * kx, (lat2 - lat) * KM_PER_DEG);
                let (dx, dy) = (x2 - x1, y2 - y1);
                let len2 = dx * dx + dy * dy;
                let t = if len2 > 0.0 {
                    (-(x1 * dx + y1 * dy) / len2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let (cx, cy) = (x1 + t * dx, y1 + t * dy);
                // cheap planar prune before the trigonometry
                if let Some(b) = &best {
                    if (cx * cx + cy * cy).sqrt() > b.km * 1.05 + 1.0 {
                        continue;
                    }
                }
                consider(
                    &mut best,
                    a,
                    lat,
                    lon,
                    (lat + cy / KM_PER_DEG, wrap(lon + cx / kx)),
                );
            }
        }
        best
    }

    /// The code of a country one of whose arcs is `arc`, among `codes`.
    pub fn owner_of<'a, S: AsRef<str>>(&self, arc: u32, codes: &'a [S]) -> Option<&'a str> {
        codes
            .iter()
            .map(|c| c.as_ref())
            .find(|c| self.country(c).is_some_and(|s| s.arcs.contains(&arc)))
    }
}

/// Keeps `p` in `best` when it is nearer to (lat, lon).
fn consider(best: &mut Option<Nearest>, arc: u32, lat: f64, lon: f64, p: (f64, f64)) {
    let km = haversine_km(lat, lon, p.0, p.1);
    if best.is_none_or(|b| km < b.km) {
        *best = Some(Nearest {
            km,
            lat: p.0,
            lon: p.1,
            arc,
        });
    }
}

fn wrap(lon: f64) -> f64 {
    let mut l = lon;
    while l > 180.0 {
        l -= 360.0;
    }
    while l < -180.0 {
        l += 360.0;
    }
    l
}

/// Great-circle distance between two points in km (haversine).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Decodes Google's encoded polyline format into (lat, lon) pairs.
pub fn decode_polyline(s: &str, precision: f64) -> Vec<(f64, f64)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut next = || -> Option<i64> {
        let mut result: i64 = 0;
        let mut shift = 0;
        loop {
            let b = i64::from(*bytes.get(i)?) - 63;
            i += 1;
            if !(0..64).contains(&b) || shift > 60 {
                return None;
            }
            result |= (b & 0x1f) << shift;
            shift += 5;
            if b < 0x20 {
                break;
            }
        }
        Some(if result & 1 == 1 {
            !(result >> 1)
        } else {
            result >> 1
        })
    };
    let (mut lat, mut lon) = (0i64, 0i64);
    let mut out = Vec::new();
    while let (Some(dlat), Some(dlon)) = (next(), next()) {
        lat += dlat;
        lon += dlon;
        out.push((lat as f64 / precision, lon as f64 / precision));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polyline_decodes_googles_example() {
        // from Google's documentation of the format (precision 1e5)
        let p = decode_polyline("_p~iF~ps|U_ulLnnqC_mqNvxq`@", 1e5);
        assert_eq!(p.len(), 3);
        assert!((p[0].0 - 38.5).abs() < 1e-9 && (p[0].1 + 120.2).abs() < 1e-9);
        assert!((p[2].0 - 43.252).abs() < 1e-9 && (p[2].1 + 126.453).abs() < 1e-9);
    }

    #[test]
    fn haversine_paris_london() {
        let d = haversine_km(48.8566, 2.3522, 51.5074, -0.1278);
        assert!((d - 343.5).abs() < 1.5, "{d}");
    }

    fn square() -> Borders {
        // two unit squares sharing the edge lon = 1: A = [0,1]x[0,1], B = [1,2]x[0,1]
        let text = "\
arc\t??????\n";
        let (mut b, _) = Borders::parse(text);
        b.arcs.clear();
        let mk = |pts: Vec<(f64, f64)>| Arc {
            min_lat: pts.iter().map(|p| p.0).fold(f64::INFINITY, f64::min),
            max_lat: pts.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max),
            pts,
        };
        // arc 0: shared edge (lon 1), arc 1: rest of A, arc 2: rest of B
        b.arcs.push(mk(vec![(0.0, 1.0), (1.0, 1.0)]));
        b.arcs
            .push(mk(vec![(1.0, 1.0), (1.0, 0.0), (0.0, 0.0), (0.0, 1.0)]));
        b.arcs
            .push(mk(vec![(1.0, 1.0), (1.0, 2.0), (0.0, 2.0), (0.0, 1.0)]));
        for (code, arcs) in [("AA", vec![0, 1]), ("BB", vec![0, 2])] {
            b.by_code.insert(code.into(), b.countries.len());
            b.countries.push(CountryShape {
                code: code.into(),
                name: code.into(),
                label_lat: 0.5,
                label_lon: 0.5,
                arcs,
            });
        }
        b
    }

    #[test]
    fn shared_arcs_cancel_in_a_union() {
        let b = square();
        assert_eq!(b.union_arcs(&["AA", "BB"]), vec![1, 2]);
        let a = b.arcs_of("AA").unwrap().to_vec();
        assert!(b.inside(&a, 0.5, 0.5));
        assert!(!b.inside(&a, 0.5, 1.5));
        // from the middle of A, A's own border is 0.5 degrees away ...
        let n = b.nearest(&a, 0.5, 0.5).unwrap();
        assert!((n.km - 0.5 * KM_PER_DEG).abs() < 0.5, "{}", n.km);
        // ... and the union's outer border too (not the shared edge at lon 1)
        let u = b.union_arcs(&["AA", "BB"]);
        let n = b.nearest(&u, 0.5, 0.9).unwrap();
        assert!((n.km - 0.5 * KM_PER_DEG).abs() < 1.0, "{}", n.km);
        assert!(b.inside(&u, 0.5, 1.5));
    }
}
