//! What the runtime supports. The IR represents every request and response encoding the spec
//! uses; operations whose encoding the `stripe-checkout` runtime deliberately does not speak are
//! moved to [`Ir::skipped`] with a one-line reason, so one unsupported endpoint never stops the
//! rest of a spec from generating.

use crate::error::join;
use crate::ir::*;

/// Moves unsupported operations out of the services into `ir.skipped`, and drops services left
/// with no operations.
pub fn set_aside_unsupported(mut ir: Ir) -> Ir {
    for service in &mut ir.services {
        let operations = std::mem::take(&mut service.operations);
        for operation in operations {
            match unsupported(&operation) {
                None => service.operations.push(operation),
                Some(reason) => ir.skipped.push(Skipped {
                    pointer: join(
                        &join("/paths", &operation.path),
                        operation.http_method.key(),
                    ),
                    reason,
                }),
            }
        }
    }
    ir.services.retain(|s| !s.operations.is_empty());
    ir
}

/// Why the runtime cannot call this operation, if it cannot.
pub fn unsupported(operation: &Operation) -> Option<String> {
    let body = match &operation.body {
        BodyEncoding::Query | BodyEncoding::Form => None,
        // The runtime is a v1 client: v2 endpoints also differ in errors, pagination and
        // idempotency, so a JSON body alone would not make them work.
        BodyEncoding::Json => Some(
            "`application/json` request body (API v2); the runtime sends v1 form bodies only"
                .to_owned(),
        ),
        BodyEncoding::Multipart => Some(
            "`multipart/form-data` file upload (served by files.stripe.com); the runtime sends form bodies only"
                .to_owned(),
        ),
        BodyEncoding::Other(media) => Some(format!(
            "`{media}` request body; the runtime sends form bodies only"
        )),
    };
    body.or_else(|| match &operation.response_encoding {
        ResponseEncoding::Json => None,
        ResponseEncoding::Binary(media) => Some(format!(
            "`{media}` response (a document, not JSON; served by files.stripe.com); the runtime decodes JSON only"
        )),
    })
}
