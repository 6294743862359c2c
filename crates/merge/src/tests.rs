use super::*;
use muster_core::CharSpan;

fn ex(name: Option<&str>, parts: &[&str], start: Option<&str>) -> Exercise {
    Exercise {
        name: name.map(String::from),
        participants: Some(parts.iter().map(|s| s.to_string()).collect()),
        start_date: start.map(String::from),
        ..Default::default()
    }
}

fn input(doc: &str, i: usize, pub_date: &str, e: Exercise) -> Input {
    Input {
        doc: doc.into(),
        exercise: i,
        pub_date: Some(pub_date.into()),
        lang: Some("en".into()),
        ex: e,
    }
}

fn record_of<'a>(rs: &'a [ExerciseRecord], doc: &str, i: usize) -> &'a ExerciseRecord {
    rs.iter()
        .find(|r| r.mentions.iter().any(|m| m.doc == doc && m.exercise == i))
        .expect("mention in a record")
}

#[test]
fn names_in_any_script_and_unnamed_mentions_join_one_record() {
    let rs = merge(vec![
        input(
            "en",
            0,
            "2021-09-10",
            ex(Some("Zapad"), &["RU", "BY"], Some("2021-09-10")),
        ),
        // the Russian article writes the Cyrillic name, without a date
        input("ru", 0, "2021-09-12", ex(Some("Запад"), &["RU"], None)),
        // an unnamed mention of Russian-Belarusian drills the same week
        input(
            "pl",
            0,
            "2021-09-13",
            ex(None, &["BY", "RU"], Some("2021-09-13")),
        ),
        // a different exercise: other participants
        input(
            "pl",
            1,
            "2021-09-13",
            ex(None, &["PL", "US"], Some("2021-09-13")),
        ),
    ]);
    let z = record_of(&rs, "en", 0);
    assert_eq!(z.id, "zapad-2021");
    assert_eq!(z.series.as_deref(), Some("Zapad"));
    assert_eq!(z.mentions.len(), 3, "{rs:#?}");
    assert_eq!(record_of(&rs, "ru", 0).id, z.id);
    assert_eq!(record_of(&rs, "pl", 0).id, z.id);
    assert_ne!(record_of(&rs, "pl", 1).id, z.id);
    assert_eq!(
        z.field("participants").unwrap().chosen_strs(),
        vec!["BY".to_string(), "RU".to_string()]
    );
    let joined: Vec<&str> = z.mentions.iter().map(|m| m.joined_by.as_str()).collect();
    assert!(joined.contains(&"participants and dates"), "{joined:?}");
}

#[test]
fn any_input_order_gives_the_same_records() {
    let base = vec![
        input(
            "a",
            0,
            "2024-05-23",
            ex(Some("Joint Sword"), &["CN"], Some("2024-05-23")),
        ),
        input(
            "b",
            0,
            "2024-10-14",
            ex(Some("Joint Sword-2024B"), &["CN"], Some("2024-10-14")),
        ),
        input("c", 0, "2024-10-15", ex(None, &["CN"], Some("2024-10-14"))),
        input("d", 0, "2024-05-25", ex(Some("联合利剑"), &["CN"], None)),
        input(
            "e",
            0,
            "2024-03-01",
            ex(None, &["KR", "US"], Some("2024-03-04")),
        ),
        input("f", 0, "2024-03-05", ex(None, &["US", "KR"], None)),
    ];
    let want = serde_json::to_string(&merge(base.clone())).unwrap();
    let mut v = base.clone();
    v.reverse();
    assert_eq!(serde_json::to_string(&merge(v)).unwrap(), want);
    let mut v = base;
    v.rotate_left(2);
    assert_eq!(serde_json::to_string(&merge(v)).unwrap(), want);
}

#[test]
fn one_name_in_one_year_splits_into_editions_by_date() {
    let rs = merge(vec![
        input(
            "a",
            0,
            "2024-05-23",
            ex(Some("Joint Sword-2024A"), &["CN"], Some("2024-05-23")),
        ),
        input(
            "b",
            0,
            "2024-10-14",
            ex(Some("Joint Sword"), &["CN"], Some("2024-10-14")),
        ),
        input(
            "c",
            0,
            "2024-05-24",
            ex(Some("Joint Sword"), &["CN"], Some("2024-05-24")),
        ),
        // undated, published in November: the October edition
        input("d", 0, "2024-11-02", ex(Some("Joint Sword"), &["CN"], None)),
    ]);
    assert_eq!(rs.len(), 2, "{rs:#?}");
    let may = record_of(&rs, "a", 0);
    let oct = record_of(&rs, "b", 0);
    assert_eq!(may.id, "joint-sword-2024-05");
    assert_eq!(oct.id, "joint-sword-2024-10");
    assert_eq!(record_of(&rs, "c", 0).id, may.id);
    assert_eq!(record_of(&rs, "d", 0).id, oct.id);
}

#[test]
fn conflicting_figures_are_kept_side_by_side() {
    let mut a = ex(Some("Vostok"), &["RU", "CN"], Some("2022-09-01"));
    a.troops = Some(50_000.0);
    a.evidence
        .insert("troops".into(), vec![CharSpan { start: 10, end: 25 }]);
    let mut b = ex(Some("Vostok"), &["RU"], Some("2022-09-01"));
    b.troops = Some(300_000.0);
    let mut c = ex(Some("Vostok"), &["RU", "IN"], Some("2022-09-01"));
    c.troops = Some(50_000.0);
    let rs = merge(vec![
        input("a", 0, "2022-09-01", a),
        input("b", 0, "2022-09-02", b),
        input("c", 0, "2022-09-03", c),
    ]);
    assert_eq!(rs.len(), 1);
    let t = rs[0].field("troops").unwrap();
    assert_eq!(t.values.len(), 2);
    assert_eq!(t.chosen, Some(json!(50_000.0)));
    assert!(t.rule.contains("most sources"));
    let fifty = t
        .values
        .iter()
        .find(|v| v.value == json!(50_000.0))
        .unwrap();
    assert_eq!(fifty.sources.len(), 2);
    assert_eq!(
        fifty.sources[0].evidence,
        vec![CharSpan { start: 10, end: 25 }]
    );
    assert_eq!(fifty.sources[0].pub_date.as_deref(), Some("2022-09-01"));
    // three documents: a country only one of them names is kept as
    // reported, not chosen
    let p = rs[0].field("participants").unwrap();
    assert_eq!(p.chosen_strs(), vec!["RU"]);
    assert_eq!(p.values.len(), 3);
    assert!(p.rule.contains("at least two"));
}

#[test]
fn a_series_in_no_table_merges_by_name_and_year_only() {
    let rs = merge(vec![
        input(
            "a",
            0,
            "2024-03-02",
            ex(Some("Iron Quokka 2024"), &["AU"], Some("2024-03-01")),
        ),
        input(
            "b",
            0,
            "2024-03-09",
            ex(Some("Iron Quokka"), &["AU", "NZ"], Some("2024-03-02")),
        ),
        input(
            "c",
            0,
            "2023-03-09",
            ex(Some("Iron Quokka"), &["AU"], Some("2023-03-02")),
        ),
    ]);
    assert_eq!(record_of(&rs, "a", 0).id, "iron-quokka-2024");
    assert_eq!(record_of(&rs, "b", 0).id, "iron-quokka-2024");
    assert_eq!(record_of(&rs, "c", 0).id, "iron-quokka-2023");
    assert!(record_of(&rs, "a", 0).series.is_none());
}

#[test]
fn the_series_table_gives_the_edition_of_an_undated_mention() {
    // Zapad is held every four years (2021, 2025): a 2023 article about it
    // speaks of the 2021 edition
    let rs = merge(vec![input(
        "a",
        0,
        "2023-02-01",
        ex(Some("Zapad"), &["RU"], None),
    )]);
    assert_eq!(rs[0].id, "zapad-2021");
    assert_eq!(rs[0].year, Some(2021));
    assert!(rs[0]
        .year_reason
        .as_deref()
        .unwrap()
        .contains("every 4 years"));
    let rs = merge(vec![input(
        "a",
        0,
        "2025-02-01",
        ex(Some("Zapad"), &["RU"], None),
    )]);
    assert_eq!(rs[0].id, "zapad-2025");
}

#[test]
fn dates_choose_the_best_supported_most_precise_value() {
    let rs = merge(vec![
        input(
            "a",
            0,
            "2022-09-01",
            ex(Some("Vostok"), &["RU"], Some("2022-09")),
        ),
        input(
            "b",
            0,
            "2022-09-02",
            ex(Some("Vostok"), &["RU"], Some("2022-09-01")),
        ),
        input(
            "c",
            0,
            "2022-09-03",
            ex(Some("Vostok"), &["RU"], Some("2022-09-01")),
        ),
        input(
            "d",
            0,
            "2022-09-03",
            ex(Some("Vostok"), &["RU"], Some("2022-09-05")),
        ),
    ]);
    let f = rs[0].field("start_date").unwrap();
    assert_eq!(f.chosen_str(), Some("2022-09-01"));
    assert_eq!(f.values.len(), 3);
}

#[test]
fn undated_unnamed_mentions_need_the_same_participants_and_a_fitting_publication() {
    let rs = merge(vec![
        input(
            "a",
            0,
            "2023-03-13",
            ex(Some("Freedom Shield"), &["KR", "US"], Some("2023-03-13")),
        ),
        input("b", 0, "2023-03-20", ex(None, &["US", "KR"], None)),
        input("c", 0, "2023-11-20", ex(None, &["US", "KR"], None)),
        input("d", 0, "2023-03-20", ex(None, &["US"], None)),
    ]);
    let fs = record_of(&rs, "a", 0);
    assert_eq!(record_of(&rs, "b", 0).id, fs.id);
    assert_ne!(record_of(&rs, "c", 0).id, fs.id);
    assert_ne!(record_of(&rs, "d", 0).id, fs.id);
    // ids are unique
    let ids: BTreeSet<&str> = rs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), rs.len());
}

#[test]
fn different_years_never_merge_and_unnamed_ids_say_who_and_when() {
    let rs = merge(vec![
        input(
            "a",
            0,
            "2022-05-24",
            ex(None, &["CN", "RU"], Some("2022-05-24")),
        ),
        input(
            "b",
            0,
            "2023-05-24",
            ex(None, &["CN", "RU"], Some("2023-05-24")),
        ),
    ]);
    assert_eq!(rs.len(), 2);
    assert_eq!(record_of(&rs, "a", 0).id, "x-cn-ru-2022-05-24");
    assert_eq!(record_of(&rs, "b", 0).id, "x-cn-ru-2023-05-24");
}

#[test]
fn assign_writes_record_ids_and_hostile_names_make_safe_ids() {
    let mut docs = vec![DocRecord {
        id: "d".into(),
        pub_date: Some("2024-01-02".into()),
        exercises: vec![ex(
            Some("../../etc/passwd'; DROP"),
            &["FR"],
            Some("2024-01-02"),
        )],
        ..Default::default()
    }];
    let rs = merge(docs.iter().flat_map(Input::of_doc).collect());
    assert!(rs[0].id.chars().all(|c| c.is_alphanumeric() || c == '-'));
    assign(&mut docs, &rs);
    assert_eq!(
        docs[0].exercises[0].record.as_deref(),
        Some(rs[0].id.as_str())
    );
}

#[test]
fn edition_suffixes_and_years_in_names_are_read() {
    assert_eq!(name_norm("Joint Sword-2024A"), "joint sword");
    assert_eq!(name_norm("Vostok 2022"), "vostok");
    assert_eq!(name_norm("RIMPAC"), "rimpac");
    assert_eq!(year_in_name("zapad-2021"), Some(2021));
    assert_eq!(year_in_name("Joint Sword-2024B"), Some(2024));
    assert_eq!(year_in_name("B2021"), None);
    assert_eq!(days(1970, 1, 1), 0);
    assert_eq!(year_of_day(days(2024, 12, 31)), 2024);
    assert_eq!(year_of_day(days(2025, 1, 1)), 2025);
    assert_eq!(
        date_label(When {
            lo: days(2024, 2, 29),
            hi: 0,
            precision: 3
        }),
        "2024-02-29"
    );
}

#[test]
fn month_numbers_agree_with_day_numbers() {
    for (y, m, d) in [
        (2024, 2, 29),
        (2024, 3, 1),
        (1999, 12, 31),
        (2000, 1, 1),
        (2025, 7, 15),
    ] {
        assert_eq!(month_of(days(y, m, d)), y * 12 + m as i32 - 1);
    }
}

#[test]
fn many_shuffled_mentions_merge_the_same_way() {
    // a small deterministic generator: participants, dates and names drawn
    // from short lists so that many mentions overlap
    let mut seed: u64 = 7;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let countries = ["RU", "BY", "CN", "US", "KR", "JP", "IN"];
    let names = [
        None,
        None,
        Some("Zapad"),
        Some("Vostok"),
        Some("Iron Quokka"),
    ];
    let mut v = Vec::new();
    for d in 0..120 {
        let a = countries[next(7) as usize];
        let b = countries[next(7) as usize];
        let day = 1 + next(28);
        let month = 1 + next(12);
        let start = match next(3) {
            0 => None,
            1 => Some(format!("2022-{month:02}")),
            _ => Some(format!("2022-{month:02}-{day:02}")),
        };
        let e = ex(names[next(5) as usize], &[a, b], start.as_deref());
        v.push(input(
            &format!("d{d:03}"),
            0,
            &format!("2022-{month:02}-{day:02}"),
            e,
        ));
    }
    let want = serde_json::to_string(&merge(v.clone())).unwrap();
    for k in 1..6 {
        let mut w = v.clone();
        for i in (1..w.len()).rev() {
            let j = (next(i as u64 + 1) as usize + k) % (i + 1);
            w.swap(i, j);
        }
        assert_eq!(serde_json::to_string(&merge(w)).unwrap(), want);
    }
    let rs = merge(v);
    let n: usize = rs.iter().map(|r| r.mentions.len()).sum();
    assert_eq!(n, 120, "every mention is in exactly one record");
    assert!(rs.len() < 120, "some mentions merged");
}
