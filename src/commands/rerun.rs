//! The rerun command of `stackspec conform`, derived from the options it was given by one
//! rule: every option given (on the command line or by its environment variable) is given
//! again, unless [`role`] classes it otherwise. A new option is thus reproduced without
//! anyone remembering to, and the test below makes every option's role a decision.

use clap::parser::ValueSource;
use clap::ArgMatches;
use stackspec_conformance::rerun::{credential_variable, Rerun};
use stackspec_conformance::secrets;

/// What an option of `conform` is to the command that reruns one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Shapes every case: given again as it was.
    Shapes,
    /// Shapes only the auth phase's cases (and would add that phase to any other).
    ShapesAuth,
    /// Replaced by the case's own operation, phase and seed, or implied by them.
    PerCase,
    /// Changes what is written, not what is sent or found.
    Output,
}

/// The role of the option with clap id `id`; anything not named here shapes the run.
pub fn role(id: &str) -> Role {
    match id {
        "operations" | "tags" | "skips" | "phases" | "seed" | "auth_checks" | "shard" => {
            Role::PerCase
        }
        "as_member" => Role::ShapesAuth,
        "report" | "record" | "dry_run" | "exitfirst" | "fail_on_untested" | "quiet"
        | "verbose" => Role::Output,
        _ => Role::Shapes,
    }
}

/// The rerun of a run given `matches` (of the `conform` subcommand whose arguments
/// `command` declares); `unused`: the ids of options given that the run did not use
/// (`OS_CLOUD` beside `--url`).
pub fn rerun(command: &clap::Command, matches: &ArgMatches, unused: &[&str]) -> Rerun {
    let mut rerun = Rerun::default();
    for arg in command.get_arguments().filter(|a| !unused.contains(&a.get_id().as_str())) {
        let id = arg.get_id().as_str();
        let given = matches!(
            matches.value_source(id),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        );
        let role = role(id);
        if !given || matches!(role, Role::PerCase | Role::Output) {
            continue;
        }
        let flag = format!("--{}", arg.get_long().unwrap_or(id));
        let add = |rerun: Rerun, value: Option<&str>| match role {
            Role::ShapesAuth => rerun.auth_option(&flag, value),
            _ => rerun.option(&flag, value),
        };
        if !arg.get_action().takes_values() {
            rerun = add(rerun, None);
            continue;
        }
        let delimiter = arg.get_value_delimiter().map_or(String::new(), String::from);
        for occurrence in matches.get_raw_occurrences(id).into_iter().flatten() {
            let values: Vec<String> =
                occurrence.map(|v| v.to_string_lossy().into_owned()).collect();
            let value = values.join(&delimiter);
            rerun = match header_credential(id, &value) {
                Some((name, prefix, variable)) => {
                    rerun.credential_header(&name, &prefix, &variable)
                }
                None => add(rerun, Some(&value)),
            };
        }
    }
    rerun
}

/// For a `-H` whose header carries a credential: its name, the text kept before the value
/// (`Bearer `) and the environment variable the rerun names instead of the value.
fn header_credential(id: &str, value: &str) -> Option<(String, String, String)> {
    let (name, value) = value.split_once(':').filter(|_| id == "headers")?;
    let (name, value) = (name.trim(), value.trim());
    if !secrets::is_secret_name(name) {
        return None;
    }
    let env = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
    let (prefix, variable) = credential_variable(name, value, env);
    Some((name.to_string(), prefix, variable))
}

#[cfg(test)]
mod tests {
    use clap::{Args, FromArgMatches};

    use super::*;
    use crate::commands::conform;

    /// A value for every option of `conform` (none for switches), unlike its default.
    fn sample(id: &str) -> Option<&'static str> {
        Some(match id {
            "spec" => "specs/my image.yaml",
            "service" => "image",
            "url" => "http://127.0.0.1:1/v2",
            "os_endpoint" => "http://127.0.0.1:2/v2",
            "os_cloud" => "devstack",
            "os_region_name" => "RegionTwo",
            "os_interface" => "internal",
            "os_cacert" => "ca.pem",
            "os_cert" => "client.pem",
            "os_key" => "client.key",
            "headers" => "X-Trace: on",
            "microversion" => "2.5",
            "phases" => "examples,negative",
            "operations" => "list_things",
            "tags" => "things",
            "skips" => "delete_thing=no thing host here",
            "path_values" => "thing_id=t1",
            "max_cases" => "7",
            "seed" => "99",
            "workers" => "3",
            "report" => "json=out.json",
            "record" => "exchanges",
            "timeout" => "4",
            "max_body_size" => "1000",
            "deadline" => "100",
            "operation_deadline" => "10",
            "retries" => "1",
            "max_retry_wait" => "2",
            "rate" => "5",
            "poll_timeout" => "6",
            "overrides" => "overrides.yaml",
            "against" => "mock",
            "as_member" => "member-cloud",
            "shard" => "2/3",
            "insecure" | "allow_mutations" | "auth_checks" | "dry_run" | "exitfirst" => {
                return None
            }
            "fail_on_untested" | "quiet" | "verbose" => return None,
            other => panic!("option `{other}`: give it a sample here and a role in `role`"),
        })
    }

    fn command() -> clap::Command {
        conform::Args::augment_args(clap::Command::new("conform")).no_binary_name(true)
    }

    /// Options that conflict with others given in [`every_option_given_is_rerun_unless_classed_as_per_case_or_output`]'s
    /// first run (`--spec`, `--quiet`): given in a second run of their own.
    const CONFLICTING: [&str; 2] = ["service", "verbose"];

    #[test]
    fn every_option_given_is_rerun_unless_classed_as_per_case_or_output() {
        let command = command();
        for second in [false, true] {
            let mut argv = Vec::new();
            let mut expected = Vec::new();
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if CONFLICTING.contains(&id) != second && !(second && id == "url") {
                    continue;
                }
                let flag = format!("--{}", arg.get_long().unwrap());
                let value = sample(id);
                argv.extend([flag.clone()].into_iter().chain(value.map(String::from)));
                let words = stackspec_conformance::rerun::words(&flag, value).join(" ");
                expected.push((id.to_string(), role(id), words));
            }
            let matches = command.clone().try_get_matches_from(&argv).unwrap();
            conform::Args::from_arg_matches(&matches).expect("the samples parse");
            let rerun = rerun(&command, &matches, &[]);
            // The case's own operation and seed, unlike the samples.
            let auth = rerun.command("show_thing", stackspec_conformance::Phase::Auth, 1, &[]);
            let other = rerun.command("show_thing", stackspec_conformance::Phase::Negative, 1, &[]);
            for (id, role, words) in expected {
                let (in_auth, in_other) = (auth.contains(&words), other.contains(&words));
                match role {
                    Role::Shapes => assert!(in_auth && in_other, "{id}: `{words}` in {other}"),
                    Role::ShapesAuth => assert!(in_auth && !in_other, "{id}: `{words}` in {auth}"),
                    Role::PerCase | Role::Output => assert!(!in_auth, "{id}: `{words}` in {auth}"),
                }
            }
            assert!(
                other.ends_with("--operation show_thing --phases negative --seed 1"),
                "{other}"
            );
        }
    }

    #[test]
    fn options_left_at_their_defaults_or_unused_are_not_repeated() {
        let command = command();
        let argv = ["--spec", "s.yaml", "--os-cloud", "unused-beside-url", "--url", "http://u"];
        let matches = command.clone().try_get_matches_from(argv).unwrap();
        let rerun = rerun(&command, &matches, &["os_cloud"]);
        let line = rerun.command("op", stackspec_conformance::Phase::Examples, 1, &[]);
        assert_eq!(
            line,
            "stackspec conform --spec s.yaml --url http://u --operation op --phases examples --seed 1"
        );
    }

    #[test]
    fn a_credential_header_is_rerun_as_a_variable_never_its_value() {
        let command = command();
        let argv = ["--spec", "s.yaml", "-H", "X-Auth-Token: gAAAA-not-in-any-variable"];
        let matches = command.clone().try_get_matches_from(argv).unwrap();
        let line = rerun(&command, &matches, &[]).command(
            "op",
            stackspec_conformance::Phase::Examples,
            1,
            &[],
        );
        assert!(line.contains(r#"--header "X-Auth-Token: $OS_TOKEN""#), "{line}");
        assert!(!line.contains("gAAAA"), "{line}");
    }
}
