//! Root-cause tags inferred from the root-cause and trigger text by a rule table: the
//! default taxonomy of what breaks systems. Inferred tags are marked as such and never
//! replace tags the author stated.

use std::sync::LazyLock;

use regex::Regex;

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
        r"\b(?:config\w*|misconfig\w*|settings?|parameters?|feature flags?|env(?:ironment)? var\w*|ulimit|(?:no|missing|wrong|incorrect) (?:\w+ ){0,2}(?:limit|setting|value|parameter|address|path)s?|limits? (?:was |were )?(?:not )?set)\b",
    ),
    (
        "deploy",
        r"\b(?:deploy\w*|release[sd]?|rollouts?|roll-outs?|upgrade[sd]?|update[sd]?|migrat\w+|rollback|pushed|pull requests?|prs?|merged?)\b",
    ),
    (
        "capacity",
        r"\b(?:capacity|traffic|(?:high|heavy|peak|increased) load|under load|load spikes?|overload\w*|scal\w+|exhaust\w*|throttl\w*|rate.limit\w*|resources?|saturat\w+|too many|open files|file descriptors|overwhelm\w*|unevenly)\b",
    ),
    (
        "network",
        r"\b(?:network\w*|latency|packets?|connectivity|firewall\w*|routing|bgp|load.balancer\w*|partition\w*)\b",
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
        r"\b(?:bugs?|regressions?|defects?|race conditions?|null pointer|exceptions?|panics?|logic errors?|code change\w*|breaking changes?|backwards? compatib\w*|incompatib\w*)\b",
    ),
    (
        "hardware",
        r"\b(?:hardware|disk failures?|power (?:outage|failure|loss)|failed (?:disk|drive|server|host)s?)\b",
    ),
    (
        "human-error",
        r"\b(?:human error|manual\w*|operator error|mistake\w*|accidental\w*|typos?|by hand|forgot\w*|never switched|oversight|misspell\w*|wrong file name|not renewed|nobody (?:was )?(?:tracking|noticed))\b",
    ),
    (
        "security",
        r"\b(?:security|exploit\w*|attack\w*|vulnerab\w+|ddos|breach\w*|malicious|compromis\w+)\b",
    ),
    (
        "storage",
        r"\b(?:storage|disks?|(?:disk|storage|ebs|persistent) volumes?|filesystems?|file systems?|inodes?|disk space|s3 buckets?)\b",
    ),
    (
        "memory",
        r"\b(?:memory|oom\w*|out of memory|leak\w*|heap)\b",
    ),
    (
        "permissions",
        r"\b(?:permissions?|access control|rbac|iam|forbidden|denied|unauthori[sz]ed|privileges?|credentials?|root user|as root|sudo)\b",
    ),
];

static COMPILED: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    RULES
        .iter()
        .map(|(tag, pattern)| (*tag, Regex::new(pattern).unwrap()))
        .collect()
});

/// The taxonomy's tags whose patterns match `text`, in table order.
pub fn infer_tags(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    COMPILED
        .iter()
        .filter(|(_, pattern)| pattern.is_match(&lower))
        .map(|(tag, _)| *tag)
        .collect()
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
    }
}
