//! Root-cause tags inferred from the root-cause and trigger text by a rule table: the
//! default taxonomy of what breaks systems. Inferred tags are marked as such and never
//! replace tags the author stated.

use std::sync::LazyLock;

use super::pattern::compile_set;
use regex::{Regex, RegexSet};

/// (tag, pattern over the lowercased text). Patterns match word starts, so "config"
/// also finds "configuration" and "misconfigured" is listed where it matters.
const RULES: &[(&str, &str)] = &[
    (
        "database",
        r"\b(?:database|db|sql|mysql|postgres\w*|mongo\w*|replica\w*|replication|queries|query)\b",
    ),
    ("index", r"\b(?:index|indexes|indices|indexing)\b"),
    (
        "config",
        r"\b(?:config\w*|misconfig\w*|settings?|parameters?|feature flags?|env(?:ironment)? var\w*|ulimit|(?:no|missing|wrong|incorrect) (?:\w+ ){0,2}(?:limit|setting|value|parameter|address|path)s?|limits? (?:was |were )?(?:not )?set|default (?:options?|settings?|behaviou?r|values?|configuration)|hard-?coded)\b",
    ),
    (
        "deploy",
        r"\b(?:deploy\w*|release[sd]?|rollouts?|roll-outs?|upgrade[sd]?|update[sd]?|migrat\w+|rollback|pushed|pull requests?|prs?|merged?|publish\w*|ci/cd|ci pipelines?|new versions?|version bumps?)\b",
    ),
    (
        "capacity",
        r"\b(?:capacity|traffic|(?:high|heavy|peak|increased) load|under load|load spikes?|overload\w*|scal\w+|exhaust\w*|throttl\w*|rate.limit\w*|resources?|saturat\w+|too many|open files|file descriptors|overwhelm\w*|unevenly|throughput|surges?|spikes? in|(?:ran|run|running|runs) out of|fill(?:ed|ing|s)? up|filling the|fell behind|fall(?:ing|s)? behind|backlog\w*|(?:high|large) volumes? of|high cpu|cpu (?:usage|load|limits?)|demand)\b",
    ),
    (
        "network",
        r"\b(?:network\w*|latency|packets?|connectivity|firewall\w*|routing|bgp|load.balancer\w*|partition\w*|p2p|peers?|disconnect\w*|connection (?:problems?|issues?|errors?|resets?|drops?))\b",
    ),
    (
        "dns",
        r"\b(?:dns|resolvers?|name resolution|nameservers?)\b",
    ),
    (
        "certificate",
        r"\b(?:certificates?|certs?|tls|ssl|x509|mtls)\b",
    ),
    (
        "dependency",
        r"\b(?:dependenc\w+|upstream|third.party|vendors?|providers?|external (?:service|api)\w*|aws|gcp|azure|cloudflare|github|gitlab|heroku|netlify|vercel|gems?|packages?|librar(?:y|ies)|outdated)\b",
    ),
    (
        "software-bug",
        r"\b(?:bugs?|buggy|regressions?|defects?|race conditions?|null pointer|exceptions?|panics?|logic(?:al)? (?:errors?|flaws?)|code change\w*|breaking changes?|backwards? compatib\w*|incompatib\w*|refactor\w*|corrupt\w*|non-?determinis\w+|improperly|incorrectly|wrongly|not (?:properly|correctly) \w+|edge cases?|corner cases?|overflow\w*|underflow\w*|deadlock\w*|infinite loops?|off.by.one|unhandled|mishandl\w*|flaw\w*|did not (?:respect|handle|account for)|failed to (?:handle|account for|respect)|(?:was|were) not (?:handled|respected|accounted for)|segfault\w*|crash ?loop\w*|memory corruption)\b",
    ),
    (
        "hardware",
        r"\b(?:hardware|disk failures?|power (?:outage|failure|loss)|failed (?:disk|drive|server|host)s?)\b",
    ),
    (
        "human-error",
        r"\b(?:human error|manual\w*|operator error|mistake\w*|accidental\w*|typos?|by hand|forgot\w*|never switched|oversight|misspell\w*|wrong file name|not renewed|nobody (?:was )?(?:tracking|noticed)|haste|hasty|rushed|(?:poor|lack of) communication|miscommunicat\w*|process (?:gaps?|failures?)|without (?:review|testing)|did not (?:run|test|review|notice)|didn't (?:run|test|review|notice)|overlooked)\b",
    ),
    (
        "security",
        r"\b(?:security|exploit\w*|attack\w*|vulnerab\w+|ddos|breach\w*|malicious|compromis\w+|hack\w*|leaked (?:[a-z0-9_-]+ ){0,3}(?:credentials|tokens?|keys?|secrets?|passwords?)|(?:credentials|tokens?|keys?|secrets?|passwords?) (?:[a-z0-9_-]+ ){0,4}(?:was |were )leaked|stolen|phishing|private keys?)\b",
    ),
    (
        "storage",
        r"\b(?:storage|disks?|(?:disk|storage|ebs|persistent) volumes?|filesystems?|file systems?|inodes?|disk space|s3 buckets?|no space left|disks? full|(?:disks?|volumes?|partitions?) (?:was |were |got |became |filled |ran )?(?:full|out of space)|out of (?:disk )?space)\b",
    ),
    (
        "memory",
        r"\b(?:memory|oom\w*|out of memory|leaks?|leaking|heap)\b",
    ),
    (
        "permissions",
        r"\b(?:permissions?|access control|rbac|iam|forbidden|denied|unauthori[sz]ed|privileges?|credentials?|root user|as root|sudo|access tokens?|api (?:keys?|tokens?)|auth(?:entication)? tokens?|(?:elevated|broad|oauth|token) scopes?|unguarded|unprotected|(?:missing|no|lacked?) (?:[a-z0-9_-]+ )?(?:access (?:checks?|control)|authentication|authori[sz]ation)|(?:authentication|authori[sz]ation) bypass\w*)\b",
    ),
];

/// The table's patterns as one set: a root cause is read once for all of them.
static COMPILED: LazyLock<RegexSet> =
    LazyLock::new(|| compile_set(RULES.iter().map(|(_, pattern)| *pattern)).unwrap());

/// Web addresses, which name hosts and products ("github.com", "/pull/81") rather than
/// what broke.
static ADDRESSES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"https?://\S+|www\.\S+").unwrap());

/// The taxonomy's tags whose patterns match `text`, in table order.
pub fn infer_tags(text: &str) -> Vec<&'static str> {
    let mut lower = text.to_lowercase();
    if lower.contains("://") || lower.contains("www.") {
        lower = ADDRESSES.replace_all(&lower, " ").into_owned();
    }
    COMPILED
        .matches(&lower)
        .into_iter()
        .map(|index| RULES[index].0)
        .collect()
}

/// The site's tag settings: extra inference rules (or a replacement for the default
/// table) and synonyms that fold spellings together.
#[derive(Debug, Clone, Default)]
pub struct TagRules {
    extra: Vec<(String, Regex)>,
    use_defaults: bool,
    synonyms: std::collections::BTreeMap<String, String>,
}

impl TagRules {
    /// `rules` maps a tag to words or phrases that imply it (whole words, any case).
    pub fn new(
        rules: &std::collections::BTreeMap<String, Vec<String>>,
        replace_defaults: bool,
        synonyms: &std::collections::BTreeMap<String, String>,
    ) -> Result<Self, String> {
        let extra = rules
            .iter()
            .map(|(tag, words)| {
                let alternatives: Vec<String> = words
                    .iter()
                    .map(|w| regex::escape(&w.to_lowercase()))
                    .collect();
                let pattern = format!(r"\b(?:{})\b", alternatives.join("|"));
                Regex::new(&pattern)
                    .map(|re| (normalize(tag), re))
                    .map_err(|e| format!("tag rule `{tag}`: {e}"))
            })
            .collect::<Result<_, _>>()?;
        let synonyms = synonyms
            .iter()
            .map(|(from, to)| (normalize(from), normalize(to)))
            .collect();
        Ok(TagRules {
            extra,
            use_defaults: !replace_defaults,
            synonyms,
        })
    }

    /// The rules pmsite uses with no config: the default table alone.
    pub fn defaults() -> Self {
        TagRules {
            extra: Vec::new(),
            use_defaults: true,
            synonyms: Default::default(),
        }
    }

    /// Tags implied by `text`: the default table's (unless replaced), then the site's.
    pub fn infer(&self, text: &str) -> Vec<String> {
        let lower = text.to_lowercase();
        let mut tags: Vec<String> = if self.use_defaults {
            infer_tags(text).into_iter().map(str::to_string).collect()
        } else {
            Vec::new()
        };
        tags.extend(
            self.extra
                .iter()
                .filter(|(_, re)| re.is_match(&lower))
                .map(|(tag, _)| tag.clone()),
        );
        tags.iter().map(|t| self.canonical(t)).collect()
    }

    /// A tag as the site spells it: lowercased, single-spaced, through the synonyms.
    pub fn canonical(&self, tag: &str) -> String {
        let tag = normalize(tag);
        self.synonyms.get(&tag).cloned().unwrap_or(tag)
    }
}

fn normalize(tag: &str) -> String {
    tag.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_from_root_cause_text() {
        assert_eq!(
            infer_tags("A misconfigured database index slowed queries"),
            ["database", "index", "config"]
        );
        assert_eq!(
            infer_tags("The SSL certificate on the load balancer expired"),
            ["network", "certificate"]
        );
        assert_eq!(infer_tags("A memory leak in the session cache"), ["memory"]);
        assert!(infer_tags("Nothing to see here").is_empty());
        // An address names where something lives, not what broke.
        assert_eq!(
            infer_tags("Events were lost; https://github.com/org/repo/pull/81 fixes a bug"),
            ["software-bug"]
        );
        // A leaked secret is a security problem, not a memory leak.
        assert_eq!(
            infer_tags("A personal access token with elevated scopes was leaked from the CI host"),
            ["security", "permissions"]
        );
        assert_eq!(
            infer_tags("Pods grew without limit and ran out of room, filling the cluster"),
            ["capacity"]
        );
        assert_eq!(
            infer_tags("The node logged a flood of No space left on device"),
            ["storage"]
        );
        assert_eq!(infer_tags("Haste, poor communication"), ["human-error"]);
        for bug in [
            "Balances were improperly zeroed on self-destruct",
            "state changes were not properly propagated between layers",
            "the new client refactor ignores the alias",
            "non-deterministic behaviour in the stopping mechanism",
            "an integer overflow in the fee calculation",
            "the new client did not respect the cluster alias",
        ] {
            assert_eq!(infer_tags(bug), ["software-bug"], "{bug}");
        }
    }

    #[test]
    fn site_rules_extend_or_replace_and_synonyms_fold() {
        let mut rules = std::collections::BTreeMap::new();
        rules.insert(
            "kafka".to_string(),
            vec!["kafka".to_string(), "consumer lag".to_string()],
        );
        let mut synonyms = std::collections::BTreeMap::new();
        synonyms.insert("DB".to_string(), "database".to_string());
        let extended = TagRules::new(&rules, false, &synonyms).unwrap();
        assert_eq!(
            extended.infer("Consumer lag grew while the database index was rebuilt"),
            ["database", "index", "kafka"]
        );
        let replaced = TagRules::new(&rules, true, &synonyms).unwrap();
        assert_eq!(
            replaced.infer("Consumer lag grew while the database index was rebuilt"),
            ["kafka"]
        );
        assert_eq!(extended.canonical("  DB "), "database");
    }
}
