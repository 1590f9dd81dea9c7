//! Every check the diff knows, as data: a stable id (what users search for and filter on), a
//! severity and a one-line explanation. The severities follow one principle: requests must
//! not get stricter (old clients would be rejected) and responses must not get looser (old
//! clients would meet shapes they do not expect). Loosened response constraints (bounds,
//! lengths, patterns) are warnings, not breaking: they only break clients that validate
//! responses, which few do.
//!
//! Most checks come in request/response twins whose severities mirror each other.

use serde::Serialize;

/// How much a change can hurt existing clients. Ordered: `Info < Warning < Breaking`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Additive or relaxing; no existing client can notice.
    Info,
    /// May break clients that rely on something the spec never promised strongly.
    Warning,
    /// Breaks existing clients that follow the old spec.
    Breaking,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Breaking => "breaking",
        }
    }
}

/// One check.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub explanation: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $severity:ident, $explanation:literal;)*) => {
        $(pub static $name: Rule = Rule {
            id: $id,
            severity: Severity::$severity,
            explanation: $explanation,
        };)*
        /// Every rule, in the order they are declared.
        pub static ALL: &[&Rule] = &[$(&$name),*];
    };
}

rules! {
    // Paths and operations.
    PATH_REMOVED = "path-removed", Breaking, "a path and all its operations are gone";
    PATH_ADDED = "path-added", Info, "a new path";
    OPERATION_REMOVED = "operation-removed", Breaking, "a method is gone from a path that remains";
    OPERATION_ADDED = "operation-added", Info, "a new method on an existing path";
    OPERATION_VERSION_RANGE_NARROWED = "operation-version-range-narrowed", Breaking,
        "the operation exists at fewer microversions";
    OPERATION_VERSION_RANGE_WIDENED = "operation-version-range-widened", Info,
        "the operation exists at more microversions";
    OPERATION_DEPRECATED = "operation-deprecated", Warning, "the operation is marked for removal";
    OPERATION_POLICY_RESTRICTED = "operation-policy-restricted", Breaking,
        "the documented default policy admits fewer users (403 for those it no longer admits)";
    OPERATION_POLICY_RELAXED = "operation-policy-relaxed", Info,
        "the documented default policy admits more users";

    // Request bodies and media types.
    REQUEST_BODY_MADE_REQUIRED = "request-body-made-required", Breaking,
        "clients that send no body are rejected";
    REQUEST_BODY_MADE_OPTIONAL = "request-body-made-optional", Info, "the body may now be left out";
    REQUEST_BODY_ADDED = "request-body-added", Info, "the operation now accepts an optional body";
    REQUEST_BODY_REMOVED = "request-body-removed", Breaking,
        "the operation no longer accepts the body clients send";
    REQUEST_MEDIA_TYPE_REMOVED = "request-media-type-removed", Breaking,
        "clients sending this content type are rejected";
    REQUEST_MEDIA_TYPE_ADDED = "request-media-type-added", Info, "a new accepted content type";
    RESPONSE_MEDIA_TYPE_REMOVED = "response-media-type-removed", Breaking,
        "clients expecting this content type no longer get it";
    RESPONSE_MEDIA_TYPE_ADDED = "response-media-type-added", Warning,
        "clients may receive a content type they cannot parse";

    // Response statuses.
    SUCCESS_STATUS_REMOVED = "success-status-removed", Breaking,
        "clients waiting for this status never see it again";
    SUCCESS_STATUS_ADDED = "success-status-added", Warning,
        "clients checking for the documented statuses may treat this one as a failure";
    ERROR_STATUS_REMOVED = "error-status-removed", Info, "an error is no longer documented";
    ERROR_STATUS_ADDED = "error-status-added", Info, "a newly documented error";
    RESPONSE_HEADER_REMOVED = "response-header-removed", Breaking,
        "clients reading the header no longer find it";
    RESPONSE_HEADER_ADDED = "response-header-added", Info, "a new response header";
    RESPONSE_HEADER_MADE_OPTIONAL = "response-header-made-optional", Breaking,
        "clients reading the header may not find it";
    RESPONSE_HEADER_MADE_REQUIRED = "response-header-made-required", Info,
        "the header is now always sent";

    // Parameters.
    REQUIRED_PARAMETER_ADDED = "required-parameter-added", Breaking,
        "clients that do not send the new parameter are rejected";
    OPTIONAL_PARAMETER_ADDED = "optional-parameter-added", Info, "a new optional parameter";
    PARAMETER_REMOVED = "parameter-removed", Breaking,
        "clients sending the parameter are rejected or silently ignored";
    PARAMETER_MADE_REQUIRED = "parameter-made-required", Breaking,
        "clients that leave the parameter out are rejected";
    PARAMETER_MADE_OPTIONAL = "parameter-made-optional", Info, "the parameter may now be left out";
    PARAMETER_VERSION_RANGE_NARROWED = "parameter-version-range-narrowed", Breaking,
        "the parameter is accepted at fewer microversions";
    PARAMETER_VERSION_RANGE_WIDENED = "parameter-version-range-widened", Info,
        "the optional parameter is accepted at more microversions";
    REQUIRED_PARAMETER_VERSION_RANGE_WIDENED = "required-parameter-version-range-widened", Breaking,
        "the parameter is required at more microversions";
    PARAMETER_DEPRECATED = "parameter-deprecated", Warning, "the parameter is marked for removal";
    PARAMETER_STYLE_CHANGED = "parameter-style-changed", Breaking,
        "values serialized the old way (`form`, `simple`, `deepObject`...) are misread";
    PARAMETER_EXPLODE_CHANGED = "parameter-explode-changed", Breaking,
        "lists and objects serialized the old way (`a=1&a=2` or `a=1,2`) are misread";
    PARAMETER_ALLOW_RESERVED_REMOVED = "parameter-allow-reserved-removed", Breaking,
        "reserved characters (`/?#&=`...) clients send unencoded are misread";
    PARAMETER_ALLOW_RESERVED_ADDED = "parameter-allow-reserved-added", Info,
        "reserved characters may now be sent unencoded";

    // Properties.
    REQUEST_PROPERTY_REMOVED = "request-property-removed", Breaking,
        "clients sending the property are rejected or silently ignored";
    REQUEST_PROPERTY_ADDED = "request-property-added", Info, "a new optional request property";
    REQUEST_REQUIRED_PROPERTY_ADDED = "request-required-property-added", Breaking,
        "clients that do not send the new property are rejected";
    REQUEST_PROPERTY_MADE_REQUIRED = "request-property-made-required", Breaking,
        "clients that leave the property out are rejected";
    REQUEST_PROPERTY_MADE_OPTIONAL = "request-property-made-optional", Info,
        "the property may now be left out";
    RESPONSE_PROPERTY_REMOVED = "response-property-removed", Breaking,
        "clients reading the property no longer find it";
    RESPONSE_PROPERTY_ADDED = "response-property-added", Info, "a new response property";
    RESPONSE_PROPERTY_MADE_OPTIONAL = "response-property-made-optional", Breaking,
        "clients reading the property may not find it";
    RESPONSE_PROPERTY_MADE_REQUIRED = "response-property-made-required", Info,
        "the property is now always present";
    REQUEST_PROPERTY_DEPRECATED = "request-property-deprecated", Warning,
        "the property is marked for removal from requests";
    RESPONSE_PROPERTY_DEPRECATED = "response-property-deprecated", Warning,
        "the property is marked for removal from responses";
    REQUEST_PROPERTY_VERSION_RANGE_NARROWED = "request-property-version-range-narrowed", Breaking,
        "the property is accepted at fewer microversions";
    REQUEST_PROPERTY_VERSION_RANGE_WIDENED = "request-property-version-range-widened", Info,
        "the optional property is accepted at more microversions";
    REQUEST_REQUIRED_PROPERTY_VERSION_RANGE_WIDENED = "request-required-property-version-range-widened",
        Breaking, "the property is required at more microversions";
    RESPONSE_PROPERTY_VERSION_RANGE_NARROWED = "response-property-version-range-narrowed", Breaking,
        "the property is returned at fewer microversions";
    RESPONSE_PROPERTY_VERSION_RANGE_WIDENED = "response-property-version-range-widened", Info,
        "the property is returned at more microversions";

    // Types and nullability.
    REQUEST_TYPE_CHANGED = "request-type-changed", Breaking, "values of the old type are rejected";
    RESPONSE_TYPE_CHANGED = "response-type-changed", Breaking,
        "clients parsing the old type fail";
    REQUEST_TYPE_GENERALIZED = "request-type-generalized", Info,
        "integer -> number: every value of the old type is still accepted";
    RESPONSE_TYPE_SPECIALIZED = "response-type-specialized", Info,
        "number -> integer: every returned value is still of the old type";
    REQUEST_NULLABLE_REMOVED = "request-nullable-removed", Breaking, "clients sending null are rejected";
    REQUEST_NULLABLE_ADDED = "request-nullable-added", Info, "null is now accepted";
    RESPONSE_NULLABLE_ADDED = "response-nullable-added", Breaking,
        "clients that do not expect null may fail on it";
    RESPONSE_NULLABLE_REMOVED = "response-nullable-removed", Info, "the value is never null now";
    REQUEST_FORMAT_CHANGED = "request-format-changed", Warning,
        "values in the old format may be rejected";
    RESPONSE_FORMAT_CHANGED = "response-format-changed", Warning,
        "clients parsing the old format may fail";
    REQUEST_DEFAULT_CHANGED = "request-default-changed", Warning,
        "clients that leave the value out get a different behaviour";

    // Access: `readOnly` only restricts requests, `writeOnly` only responses.
    REQUEST_READ_ONLY_ADDED = "request-read-only-added", Breaking,
        "clients sending the value are rejected or silently ignored";
    REQUEST_READ_ONLY_REMOVED = "request-read-only-removed", Info, "the value may now be sent";
    RESPONSE_WRITE_ONLY_ADDED = "response-write-only-added", Breaking,
        "clients reading the value no longer get it";
    RESPONSE_WRITE_ONLY_REMOVED = "response-write-only-removed", Info,
        "the value is now returned too";

    // Enums.
    REQUEST_ENUM_VALUE_REMOVED = "request-enum-value-removed", Breaking,
        "clients sending the value are rejected";
    REQUEST_ENUM_VALUE_ADDED = "request-enum-value-added", Info, "a new accepted value";
    RESPONSE_ENUM_VALUE_ADDED = "response-enum-value-added", Breaking,
        "clients may receive a value they do not handle";
    RESPONSE_ENUM_VALUE_REMOVED = "response-enum-value-removed", Info, "a value is no longer returned";
    REQUEST_ENUM_ADDED = "request-enum-added", Breaking,
        "the value is now restricted to a list; other values are rejected";
    REQUEST_ENUM_REMOVED = "request-enum-removed", Info, "any value is now accepted";
    RESPONSE_ENUM_REMOVED = "response-enum-removed", Breaking,
        "the value is no longer restricted to the list clients handle";
    RESPONSE_ENUM_ADDED = "response-enum-added", Info, "the returned values are now restricted to a list";
    REQUEST_ENUM_VALUE_VERSION_RANGE_NARROWED = "request-enum-value-version-range-narrowed", Breaking,
        "the value is accepted at fewer microversions";
    REQUEST_ENUM_VALUE_VERSION_RANGE_WIDENED = "request-enum-value-version-range-widened", Info,
        "the value is accepted at more microversions";
    RESPONSE_ENUM_VALUE_VERSION_RANGE_WIDENED = "response-enum-value-version-range-widened", Breaking,
        "the value may be returned at more microversions";
    RESPONSE_ENUM_VALUE_VERSION_RANGE_NARROWED = "response-enum-value-version-range-narrowed", Info,
        "the value is returned at fewer microversions";

    // Constraints.
    REQUEST_BOUNDS_TIGHTENED = "request-bounds-tightened", Breaking,
        "numbers that were accepted are rejected";
    REQUEST_BOUNDS_LOOSENED = "request-bounds-loosened", Info, "more numbers are accepted";
    RESPONSE_BOUNDS_LOOSENED = "response-bounds-loosened", Warning,
        "clients validating responses may reject new numbers";
    RESPONSE_BOUNDS_TIGHTENED = "response-bounds-tightened", Info, "returned numbers are narrower";
    REQUEST_LENGTH_TIGHTENED = "request-length-tightened", Breaking,
        "strings, arrays or objects that were accepted are rejected for their size";
    REQUEST_LENGTH_LOOSENED = "request-length-loosened", Info, "more sizes are accepted";
    RESPONSE_LENGTH_LOOSENED = "response-length-loosened", Warning,
        "clients validating or sizing buffers for responses may fail";
    RESPONSE_LENGTH_TIGHTENED = "response-length-tightened", Info, "returned sizes are narrower";
    REQUEST_PATTERN_ADDED = "request-pattern-added", Breaking,
        "strings that do not match the new pattern are rejected";
    REQUEST_PATTERN_REMOVED = "request-pattern-removed", Info, "any string is now accepted";
    REQUEST_PATTERN_CHANGED = "request-pattern-changed", Warning,
        "strings matching the old pattern may be rejected";
    RESPONSE_PATTERN_REMOVED = "response-pattern-removed", Warning,
        "clients validating responses may reject new strings";
    RESPONSE_PATTERN_ADDED = "response-pattern-added", Info, "returned strings now follow a pattern";
    RESPONSE_PATTERN_CHANGED = "response-pattern-changed", Warning,
        "returned strings may not match the old pattern";
    REQUEST_ADDITIONAL_PROPERTIES_DISALLOWED = "request-additional-properties-disallowed", Breaking,
        "clients sending undocumented properties are rejected";
    REQUEST_ADDITIONAL_PROPERTIES_ALLOWED = "request-additional-properties-allowed", Info,
        "undocumented properties are now accepted";
    RESPONSE_ADDITIONAL_PROPERTIES_ALLOWED = "response-additional-properties-allowed", Warning,
        "responses may carry undocumented properties";
    RESPONSE_ADDITIONAL_PROPERTIES_DISALLOWED = "response-additional-properties-disallowed", Info,
        "responses carry only documented properties";

    // allOf members.
    REQUEST_ALL_OF_MEMBER_ADDED = "request-all-of-member-added", Breaking,
        "values must also match the new schema";
    REQUEST_ALL_OF_MEMBER_REMOVED = "request-all-of-member-removed", Info,
        "values no longer need to match the schema";
    RESPONSE_ALL_OF_MEMBER_REMOVED = "response-all-of-member-removed", Breaking,
        "returned values no longer promise what the schema promised";
    RESPONSE_ALL_OF_MEMBER_ADDED = "response-all-of-member-added", Info,
        "returned values also match the new schema";

    // oneOf/anyOf branches.
    REQUEST_ONE_OF_BRANCH_REMOVED = "request-one-of-branch-removed", Breaking,
        "clients sending this shape are rejected";
    REQUEST_ONE_OF_BRANCH_ADDED = "request-one-of-branch-added", Info, "a new accepted shape";
    RESPONSE_ONE_OF_BRANCH_ADDED = "response-one-of-branch-added", Breaking,
        "clients may receive a shape they do not handle";
    RESPONSE_ONE_OF_BRANCH_REMOVED = "response-one-of-branch-removed", Info,
        "a shape is no longer returned";
    REQUEST_ONE_OF_BRANCH_VERSION_RANGE_NARROWED = "request-one-of-branch-version-range-narrowed",
        Breaking, "the shape is accepted at fewer microversions";
    REQUEST_ONE_OF_BRANCH_VERSION_RANGE_WIDENED = "request-one-of-branch-version-range-widened", Info,
        "the shape is accepted at more microversions";
    RESPONSE_ONE_OF_BRANCH_VERSION_RANGE_WIDENED = "response-one-of-branch-version-range-widened",
        Breaking, "the shape may be returned at more microversions";
    RESPONSE_ONE_OF_BRANCH_VERSION_RANGE_NARROWED = "response-one-of-branch-version-range-narrowed",
        Info, "the shape is returned at fewer microversions";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_twins_mirror_severities() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in ALL {
            assert!(seen.insert(rule.id), "duplicate id {}", rule.id);
            assert!(rule.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}", rule.id);
        }
        let find = |id: &str| ALL.iter().find(|r| r.id == id).unwrap().severity;
        assert_eq!(find("request-enum-value-removed"), Severity::Breaking);
        assert_eq!(find("response-enum-value-removed"), Severity::Info);
    }
}
