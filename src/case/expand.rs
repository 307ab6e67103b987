//! A fixture's request and expectation with placeholders expanded for one case.
//!
//! Shared by every executor of fixture-shaped cases (generated ones included), so that a case
//! means the same thing whoever runs it.

use super::fixture::{OneOrMany, Outcome, StateExpectation, Then, When};
use super::placeholder::{Bindings, ExpandError, expand, expand_toml};
use crate::wire::Request;

impl When {
    /// The request this `when` describes, placeholders expanded.
    pub fn request(&self, b: &Bindings) -> Result<Request, ExpandError> {
        let mut req = match (&self.body, &self.raw_body) {
            (Some(body), _) => Request::json(
                self.operation.name(),
                &expand_toml(&toml::Value::Table(body.clone()), b)?,
            ),
            (None, Some(raw)) => Request::raw(self.operation.name(), expand(raw, b)?.into_bytes()),
            (None, None) => Request::raw(self.operation.name(), Vec::new()),
        };
        for (name, value) in &self.headers {
            req.set_header(name, &expand(value, b)?);
        }
        for name in &self.remove_headers {
            req.remove_header(name);
        }
        req.method = self.method.name().to_string();
        if let Some(path) = &self.path {
            req.path = expand(path, b)?;
        }
        Ok(req)
    }
}

impl Then {
    /// Every outcome [`Outcome::expanded`].
    pub fn expanded(&self, b: &Bindings) -> Result<Then, ExpandError> {
        Ok(Then {
            outcomes: self
                .outcomes
                .iter()
                .map(|o| o.expanded(b))
                .collect::<Result<_, _>>()?,
        })
    }
}

impl Outcome {
    /// This outcome with the placeholders of its strict message and expected attribute
    /// values (the user's and the other user's) expanded.
    pub fn expanded(&self, b: &Bindings) -> Result<Outcome, ExpandError> {
        let mut t = self.clone();
        if let Some(m) = &self.strict.message {
            t.strict.message = Some(match m {
                OneOrMany::One(m) => OneOrMany::One(expand(m, b)?),
                OneOrMany::Many(v) => {
                    OneOrMany::Many(v.iter().map(|m| expand(m, b)).collect::<Result<_, _>>()?)
                }
            });
        }
        for state in [&mut t.state, &mut t.other_user_state] {
            if let Some(StateExpectation::Attributes(spec)) = state {
                for v in spec.attributes.values_mut() {
                    *v = expand(v, b)?;
                }
            }
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::fixture::{AttributeState, HttpMethod, Strict};
    use crate::vocab::Operation;

    fn bindings() -> Bindings {
        Bindings {
            access_token: "tok.en".into(),
            username: "ccf-u".into(),
            ..Default::default()
        }
    }

    #[test]
    fn raw_body_and_headers_are_expanded() {
        let when = When {
            operation: Operation::DeleteUser,
            body: None,
            raw_body: Some(r#"{"AccessToken":"{{access_token}}"}"#.into()),
            headers: [("Content-Type".to_string(), "text/plain".to_string())].into(),
            remove_headers: vec!["X-Amz-Target".into()],
            method: HttpMethod::Get,
            path: Some("/?Action=DeleteUser&User={{username}}".into()),
        };
        let r = when.request(&bindings()).unwrap();
        assert_eq!(r.body, br#"{"AccessToken":"tok.en"}"#);
        assert_eq!(r.header("content-type"), Some("text/plain"));
        assert_eq!(r.header("x-amz-target"), None);
        assert_eq!(
            (r.method.as_str(), r.path.as_str()),
            ("GET", "/?Action=DeleteUser&User=ccf-u")
        );
    }

    #[test]
    fn state_values_and_message_are_expanded() {
        let then = Then::one(Outcome {
            state: Some(StateExpectation::Attributes(AttributeState {
                attributes: [("email".to_string(), "a.{{username}}@x.com".to_string())].into(),
                ..Default::default()
            })),
            strict: Strict {
                message: Some(OneOrMany::One("user {{username}}".into())),
                ..Default::default()
            },
            ..Outcome::of_status(200)
        });
        let mut t = then.expanded(&bindings()).unwrap();
        let t = t.outcomes.remove(0);
        assert_eq!(
            t.strict.message,
            Some(OneOrMany::One("user ccf-u".to_string()))
        );
        let Some(StateExpectation::Attributes(a)) = t.state else {
            panic!("state kept its kind")
        };
        assert_eq!(a.attributes["email"], "a.ccf-u@x.com");
    }
}
