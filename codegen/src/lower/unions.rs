//! Unions: expandable fields, `""`-unsettable params, response unions told apart by their
//! `object` tag, and untagged unions.

use std::collections::BTreeSet;

use serde_json::Value;

use super::types::is_empty_string;
use super::{Ctx, Lowerer, SCHEMA_PREFIX};
use crate::error::{join, Error};
use crate::ir::*;
use crate::names::{type_name, Namer};
use crate::spec::Schema;

impl<'a> Lowerer<'a> {
    pub(super) fn union(
        &mut self,
        schema: &Schema,
        key: &str,
        members: &[Schema],
        ctx: &Ctx<'_>,
    ) -> Result<Ty, Error> {
        let pointer = join(&ctx.pointer, key);
        // `{enum: [""]}` members say the param may be sent empty to unset it.
        let (empties, rest): (Vec<_>, Vec<_>) = members
            .iter()
            .enumerate()
            .partition(|(_, m)| is_empty_string(m));
        let inner = if schema.expansion_resources.is_some() {
            let targets: Vec<_> = rest.iter().filter(|(_, m)| m.reference.is_some()).collect();
            let target = match targets.as_slice() {
                [] => {
                    return Err(Error::new(
                        &pointer,
                        "`x-expansionResources` without a `$ref` member",
                    ))
                }
                [(i, only)] => self.ty(only, &ctx.at(&[key, &i.to_string()]))?,
                _ => {
                    let refs = targets.iter().map(|(i, m)| (*i, *m)).collect::<Vec<_>>();
                    if self.taggable(&refs) {
                        self.tagged_union(&refs, &pointer, ctx)?
                    } else {
                        self.untagged_union(&refs, key, ctx)?
                    }
                }
            };
            Ty::Expandable(Box::new(target))
        } else {
            match rest.as_slice() {
                [] => Ty::String,
                [(i, only)] => self.ty(only, &ctx.at(&[key, &i.to_string()]))?,
                _ if ctx.direction == Direction::Response && self.taggable(&rest) => {
                    self.tagged_union(&rest, &pointer, ctx)?
                }
                _ => self.untagged_union(&rest, key, ctx)?,
            }
        };
        match (empties.is_empty(), ctx.direction) {
            (true, _) => Ok(inner),
            (false, Direction::Request) => Ok(Ty::Unsettable(Box::new(inner))),
            (false, Direction::Response) => Err(Error::new(
                pointer,
                "an empty-string union member in a response schema is not supported",
            )),
        }
    }

    /// A response union told apart by each member's `object` (and `deleted`) value.
    fn tagged_union(
        &mut self,
        members: &[(usize, &Schema)],
        pointer: &str,
        ctx: &Ctx<'_>,
    ) -> Result<Ty, Error> {
        let mut variants = Vec::new();
        let mut tags = BTreeSet::new();
        for (i, member) in members {
            let at = join(pointer, &i.to_string());
            let target = member
                .reference
                .as_deref()
                .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
                .ok_or_else(|| Error::new(&at, "expected a `$ref` member: union members must be named objects to be told apart"))?;
            let target_schema = self.spec.components.schemas.get(target).ok_or_else(|| {
                Error::new(
                    join(&at, "$ref"),
                    format!("unresolvable `$ref` to `{target}`"),
                )
            })?;
            let tag = object_tag(target_schema).ok_or_else(|| {
                Error::new(&at, format!("union member `{target}` has no single-valued `object` property to tell it apart"))
            })?;
            if !tags.insert(tag.clone()) {
                return Err(Error::new(
                    &at,
                    format!(
                        "union members share `object: {}` and cannot be told apart",
                        tag.object
                    ),
                ));
            }
            let ty = self.reference(
                &format!("{SCHEMA_PREFIX}{target}"),
                &Ctx {
                    pointer: at,
                    fixed_name: None,
                    ..ctx.clone()
                },
            )?;
            let name = match &ty {
                Ty::Named(n) => n.clone(),
                _ => type_name(target),
            };
            variants.push(Variant {
                name,
                ty,
                tag: Some(tag),
            });
        }
        let name = match &ctx.fixed_name {
            Some(fixed) => fixed.clone(),
            None => {
                let name = variants
                    .iter()
                    .map(|v| v.name.as_str())
                    .collect::<Vec<_>>()
                    .join("Or");
                if self
                    .unions
                    .get(&name)
                    .is_some_and(|existing| *existing == variants)
                {
                    return Ok(Ty::Named(name));
                }
                self.claim(&name)
            }
        };
        let first = members
            .first()
            .and_then(|(_, m)| m.reference.as_deref())
            .and_then(|r| r.strip_prefix(SCHEMA_PREFIX));
        let module = first
            .and_then(|t| self.component_modules.get(t).cloned())
            .unwrap_or_else(|| ctx.module.to_owned());
        self.unions.insert(name.clone(), variants.clone());
        self.push(TypeDef {
            name: name.clone(),
            doc: Some(format!(
                "One of {}, told apart by the `object` field.",
                variants
                    .iter()
                    .map(|v| format!("[`{}`]", v.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            pointer: pointer.to_owned(),
            module,
            direction: Direction::Response,
            kind: TypeKind::Union(variants),
            form_key: None,
            reference: None,
        });
        Ok(Ty::Named(name))
    }

    /// Whether every member is a `$ref` to an object with its own `object` (and `deleted`) tag,
    /// so a response can be dispatched on the tag.
    fn taggable(&self, members: &[(usize, &Schema)]) -> bool {
        let mut tags = BTreeSet::new();
        members.iter().all(|(_, member)| {
            member
                .reference
                .as_deref()
                .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
                .and_then(|target| self.spec.components.schemas.get(target))
                .and_then(object_tag)
                .is_some_and(|tag| tags.insert(tag))
        })
    }

    /// The number of required properties of a member (through its `$ref`), which orders the
    /// members of an untagged response union.
    fn required_count(&self, member: &Schema) -> usize {
        let target = member
            .reference
            .as_deref()
            .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
            .and_then(|t| self.spec.components.schemas.get(t));
        target.unwrap_or(member).required.len()
    }

    /// A union without tags. Requests serialize whichever member they hold. Responses decode by
    /// trying the members in a fixed order: most required properties first (so a member that
    /// would accept almost anything does not shadow a stricter one), then spec order; the
    /// first that decodes wins, and if none does the error lists what each member said.
    fn untagged_union(
        &mut self,
        members: &[(usize, &Schema)],
        key: &str,
        ctx: &Ctx<'_>,
    ) -> Result<Ty, Error> {
        let mut members = members.to_vec();
        if ctx.direction == Direction::Response {
            members.sort_by_key(|(_, m)| std::cmp::Reverse(self.required_count(m)));
        }
        let name = self.claim_for(ctx);
        let slot = self.reserve();
        let mut variant_names = Namer::default();
        let mut variants = Vec::new();
        for (i, member) in &members {
            let hint = format!(
                "{name}{}",
                member
                    .title
                    .as_deref()
                    .map(type_name)
                    .unwrap_or_else(|| "Object".into())
            );
            let ty = self.ty(
                member,
                &Ctx {
                    hint,
                    fixed_name: None,
                    ..ctx.at(&[key, &i.to_string()])
                },
            )?;
            let variant = match &ty {
                Ty::Named(n) => n
                    .strip_prefix(&name)
                    .filter(|s| !s.is_empty())
                    .unwrap_or(n)
                    .to_owned(),
                other => variant_name(other),
            };
            variants.push(Variant {
                name: variant_names.claim(variant),
                ty,
                tag: None,
            });
        }
        self.fill(
            slot,
            TypeDef {
                name: name.clone(),
                doc: None,
                pointer: join(&ctx.pointer, key),
                module: ctx.module.to_owned(),
                direction: ctx.direction,
                kind: TypeKind::Union(variants),
                form_key: ctx.form_key.key(),
                reference: ctx.reference(),
            },
        );
        Ok(Ty::Named(name))
    }
}

/// The `(object, deleted)` pair that identifies a member of a response union.
pub(super) fn object_tag(schema: &Schema) -> Option<Tag> {
    let properties = schema.properties.as_ref()?;
    let object = match properties.get("object")?.enumeration.as_deref()? {
        [Value::String(only)] => only.clone(),
        _ => return None,
    };
    let deleted = properties
        .get("deleted")
        .and_then(|d| d.enumeration.as_deref())
        .is_some_and(|v| v == [Value::Bool(true)]);
    Some(Tag { object, deleted })
}

pub(super) fn variant_name(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Bool => "Bool".into(),
        Ty::Integer => "Integer".into(),
        Ty::Number => "Number".into(),
        Ty::Timestamp => "Timestamp".into(),
        Ty::Json => "Json".into(),
        Ty::Named(n) => n.clone(),
        Ty::Array(_) => "Array".into(),
        Ty::Map(_) => "Map".into(),
        Ty::Expandable(_) => "Expandable".into(),
        Ty::Unsettable(_) => "Unsettable".into(),
        Ty::List(_) => "List".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::File => "File".into(),
    }
}
