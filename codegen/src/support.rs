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

/// Why the runtime cannot call this operation, if it cannot. It sends query strings, form,
/// JSON (v2) and multipart bodies, and reads JSON or, as bytes, any other response; what is left
/// is a request media type it has no encoder for, or a document answering a JSON or multipart
/// request (no Stripe endpoint has either).
pub fn unsupported(operation: &Operation) -> Option<String> {
    match (&operation.body, &operation.response_encoding) {
        (BodyEncoding::Other(media), _) => Some(format!(
            "`{media}` request body; the runtime sends query strings, forms, JSON and multipart only"
        )),
        (BodyEncoding::Json | BodyEncoding::Multipart, ResponseEncoding::Binary(media)) => {
            Some(format!(
                "`{media}` response to a JSON or multipart request; the runtime reads documents only after a query or form request"
            ))
        }
        _ => None,
    }
}
