//! Slugs and ids: lowercase ASCII words joined by `-`, safe in any URL and file system.

/// `"2024/06 DB outage.md"` -> `"2024-06-db-outage-md"`. Never empty, never `.`/`..`,
/// no path separators. Letters with accents lose them only when ASCII folding is obvious;
/// other characters separate words.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
        if slug.len() >= 80 {
            break;
        }
    }
    slug.truncate(80);
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "untitled".to_string()
    } else {
        slug
    }
}

/// The id of an incident read from `relative` (a content path) with no `id` in its
/// frontmatter: the path without its extension, slugified.
pub fn id_from_path(relative: &str) -> String {
    let without_extension = match relative.rfind('.') {
        Some(dot) if dot > relative.rfind('/').map_or(0, |s| s + 1) => &relative[..dot],
        _ => relative,
    };
    slugify(without_extension)
}

fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

/// Makes anchors unique within a page: `impact`, `impact-2`, ...
#[derive(Debug, Default)]
pub struct AnchorSet(std::collections::BTreeSet<String>);

impl AnchorSet {
    /// Reserves names used by the page itself (`timeline`, `t-1`, ...).
    pub fn reserve(&mut self, name: &str) {
        self.0.insert(name.to_string());
    }

    pub fn unique(&mut self, title: &str) -> String {
        let base = slugify(title);
        let mut candidate = base.clone();
        let mut n = 2;
        while self.0.contains(&candidate) || is_reserved_pattern(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        self.0.insert(candidate.clone());
        candidate
    }
}

/// `t-3` and `task-3` belong to timeline entries and tasks.
fn is_reserved_pattern(anchor: &str) -> bool {
    let numbered = |prefix: &str| {
        anchor
            .strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    numbered("t-") || numbered("task-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slugify("Root Cause & Resolution"), "root-cause-resolution");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("!!!"), "untitled");
        assert_eq!(slugify("Café outage"), "cafe-outage");
        assert_eq!(slugify("a\\b\u{0}c"), "a-b-c");
    }

    #[test]
    fn ids_come_from_the_path_without_extension() {
        assert_eq!(id_from_path("2024/06-db.md"), "2024-06-db");
        assert_eq!(id_from_path("v1.2/notes"), "v1-2-notes");
        assert_eq!(id_from_path("seed.txt"), "seed");
    }

    #[test]
    fn anchors_are_unique_and_avoid_entry_names() {
        let mut anchors = AnchorSet::default();
        anchors.reserve("timeline");
        assert_eq!(anchors.unique("Impact"), "impact");
        assert_eq!(anchors.unique("Impact"), "impact-2");
        assert_eq!(anchors.unique("Timeline"), "timeline-2");
        assert_eq!(anchors.unique("T 1"), "t-1-2");
    }
}
