//! Bad specs give an error naming the JSON pointer and what was expected, never a panic.

use codegen::Error;

fn error_of(yaml: &str) -> Error {
    match codegen::generate(yaml) {
        Ok(files) => panic!("expected an error, generated {} files", files.len()),
        Err(e) => e,
    }
}

const HEADER: &str = "openapi: 3.0.0\ninfo: {version: test}\n";

fn with_schemas(schemas: &str) -> String {
    format!("{HEADER}components:\n  schemas:\n{schemas}")
}

#[test]
fn error_cases() {
    let cases: &[(&str, String)] = &[
        ("malformed_yaml", "openapi: [unclosed\n".to_owned()),
        ("not_a_mapping", "just a string".to_owned()),
        ("missing_version", "openapi: 3.0.0\ninfo: {title: x}\n".to_owned()),
        (
            "wrong_shape",
            with_schemas("    a:\n      type: object\n      required: yes-please\n"),
        ),
        (
            "unresolvable_ref",
            with_schemas("    a:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/nope'}\n"),
        ),
        (
            "foreign_ref",
            with_schemas("    a:\n      type: object\n      properties:\n        b: {$ref: 'other.yaml#/x'}\n"),
        ),
        (
            "unsupported_type",
            with_schemas("    a:\n      type: object\n      properties:\n        b: {type: file}\n"),
        ),
        (
            "array_without_items",
            with_schemas("    a:\n      type: object\n      properties:\n        b: {type: array}\n"),
        ),
        (
            "all_of_two",
            with_schemas("    a:\n      type: object\n      properties:\n        b: {allOf: [{type: string}, {type: integer}]}\n"),
        ),
        (
            "non_string_enum",
            with_schemas("    a:\n      type: string\n      enum: [a, 3]\n"),
        ),
        (
            "required_not_a_property",
            with_schemas("    a:\n      type: object\n      required: [ghost]\n      properties:\n        b: {type: string}\n"),
        ),
        (
            "ref_cycle",
            with_schemas(concat!(
                "    a:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/c'}\n",
                "    c:\n      allOf: [{$ref: '#/components/schemas/d'}]\n",
                "    d:\n      allOf: [{$ref: '#/components/schemas/c'}]\n",
            )),
        ),
        (
            "bad_parameter_location",
            format!(
                "{HEADER}paths:\n  /v1/x:\n    get:\n      parameters:\n        - {{name: h, in: header, schema: {{type: string}}}}\n      responses:\n        '200': {{content: {{application/json: {{schema: {{type: string}}}}}}}}\n"
            ),
        ),
        (
            "undeclared_path_parameter",
            format!(
                "{HEADER}paths:\n  /v1/x/{{id}}:\n    get:\n      responses:\n        '200': {{content: {{application/json: {{schema: {{type: string}}}}}}}}\n"
            ),
        ),
        (
            "no_success_response",
            format!("{HEADER}paths:\n  /v1/x:\n    get:\n      responses:\n        default: {{description: err}}\n"),
        ),
        (
            "success_without_content",
            format!("{HEADER}paths:\n  /v1/x:\n    get:\n      responses:\n        '200': {{description: ok}}\n"),
        ),
    ];
    // Unions without tags, JSON bodies and non-JSON responses are constructs now, not errors
    // (fixtures `untagged_union` and `encodings`).
    let report = cases
        .iter()
        .map(|(name, yaml)| format!("{name}: {}", error_of(yaml)))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(report);
}

#[test]
fn errors_carry_the_pointer_separately() {
    let e = error_of(&with_schemas(
        "    checkout.session:\n      type: object\n      properties:\n        mode: {type: string, enum: [1]}\n",
    ));
    assert_eq!(
        e.pointer,
        "/components/schemas/checkout.session/properties/mode/enum/0"
    );
    assert!(
        e.message.contains("expected a string enum value"),
        "{}",
        e.message
    );

    // `/` in a path is escaped as `~1` in the pointer (RFC 6901).
    let e = error_of(&format!(
        "{HEADER}paths:\n  /v1/x:\n    get:\n      responses:\n        default: {{description: err}}\n"
    ));
    assert_eq!(e.pointer, "/paths/~1v1~1x/get/responses");
}
