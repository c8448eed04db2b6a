//! Preparing a request, per message, beside a hand-written baseline that
//! builds the same body bytes directly with serde_urlencoded / serde_json.
//!
//! `cargo bench --bench prepare` measures time with criterion. Times on a
//! shared machine vary from run to run, so `scripts/bench-instructions.sh`
//! also counts instructions per message with callgrind, which repeat exactly:
//! it runs this binary with `KALEYRA_BENCH_COUNT=<case>:<iterations>`, which
//! prepares that case that many times and exits. See BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group};
use kaleyra_examples::ImtDynamic;
use kaleyra_runtime::{Api, Client, InteractiveHeader, MediaUrl, Pod, ReplyButtons};
use serde::Serialize;

const TO: &str = "+919876543210";
const FROM: &str = "+912025550100";
const PDF: &str = "https://example.com/tickets/4711.pdf";

fn client(api: Api) -> Client {
    Client::builder()
        .sid("HXBENCH0001IN")
        .api_key("bench-key")
        .from(FROM)
        .api(api)
        .build()
        .unwrap()
}

fn ticket() -> ImtDynamic<'static> {
    ImtDynamic {
        first_name: "John",
        last_name: "Doe".to_owned(),
        ticket: MediaUrl::parse(PDF).unwrap(),
        login_path: "4711".to_owned(),
        confirm_payload: "confirm-4711".to_owned(),
    }
}

fn reply() -> ReplyButtons {
    ReplyButtons::new("Your order 4711 ships tomorrow. Anything else?")
        .header(InteractiveHeader::Text("Order 4711".to_owned()))
        .footer("Reply STOP to opt out")
        .button("track", "Track order")
        .button("agent", "Talk to us")
}

/// The hand-written baselines: the same bytes, built directly and as cheaply
/// as plain serde allows (borrowed structs, no intermediate `Value`).
mod baseline {
    use super::*;

    pub fn template_v1(first: &str, last: &str, pdf: &str, suffix: &str, payload: &str) -> Vec<u8> {
        let params = format!("\"{first}\",\"{last}\"");
        let fields: [(&str, &str); 10] = [
            ("to", TO),
            ("type", "mediatemplate"),
            ("channel", "whatsapp"),
            ("from", FROM),
            ("template_name", "imt_dynamic"),
            ("params", &params),
            ("lang_code", "en"),
            ("media_url", pdf),
            ("param_url", suffix),
            ("payload1", payload),
        ];
        serde_urlencoded::to_string(fields).unwrap().into_bytes()
    }

    #[derive(Serialize)]
    struct Envelope<T> {
        messaging_object: T,
    }

    #[derive(Serialize)]
    struct Object<'a, C> {
        messaging_product: &'a str,
        recipient_type: &'a str,
        to: &'a str,
        #[serde(rename = "type")]
        kind: &'a str,
        #[serde(flatten)]
        content: C,
    }

    #[derive(Serialize)]
    struct Kv<'a, V> {
        #[serde(rename = "type")]
        kind: &'a str,
        #[serde(flatten)]
        value: V,
    }

    #[derive(Serialize)]
    struct Text<'a> {
        text: &'a str,
    }

    pub fn template_v2(first: &str, last: &str, pdf: &str, suffix: &str, payload: &str) -> Vec<u8> {
        #[derive(Serialize)]
        struct Content<'a> {
            template: Template<'a>,
        }
        #[derive(Serialize)]
        struct Template<'a> {
            name: &'a str,
            language: Language<'a>,
            components: (
                Header<'a>,
                Body<'a>,
                Button<'a, Payload<'a>>,
                Button<'a, Text<'a>>,
            ),
        }
        #[derive(Serialize)]
        struct Language<'a> {
            code: &'a str,
        }
        #[derive(Serialize)]
        struct Header<'a> {
            #[serde(rename = "type")]
            kind: &'a str,
            parameters: [Kv<'a, Document<'a>>; 1],
        }
        #[derive(Serialize)]
        struct Document<'a> {
            document: Link<'a>,
        }
        #[derive(Serialize)]
        struct Link<'a> {
            link: &'a str,
        }
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(rename = "type")]
            kind: &'a str,
            parameters: [Kv<'a, Text<'a>>; 2],
        }
        #[derive(Serialize)]
        struct Button<'a, P> {
            #[serde(rename = "type")]
            kind: &'a str,
            sub_type: &'a str,
            index: &'a str,
            parameters: [Kv<'a, P>; 1],
        }
        #[derive(Serialize)]
        struct Payload<'a> {
            payload: &'a str,
        }
        let text = |text| Kv {
            kind: "text",
            value: Text { text },
        };
        let content = Content {
            template: Template {
                name: "imt_dynamic",
                language: Language { code: "en" },
                components: (
                    Header {
                        kind: "header",
                        parameters: [Kv {
                            kind: "document",
                            value: Document {
                                document: Link { link: pdf },
                            },
                        }],
                    },
                    Body {
                        kind: "body",
                        parameters: [text(first), text(last)],
                    },
                    Button {
                        kind: "button",
                        sub_type: "quick_reply",
                        index: "0",
                        parameters: [Kv {
                            kind: "payload",
                            value: Payload { payload },
                        }],
                    },
                    Button {
                        kind: "button",
                        sub_type: "url",
                        index: "1",
                        parameters: [text(suffix)],
                    },
                ),
            },
        };
        let object = Object {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to: TO,
            kind: "template",
            content,
        };
        serde_json::to_vec(&Envelope {
            messaging_object: object,
        })
        .unwrap()
    }

    #[derive(Serialize)]
    struct Buttons<'a> {
        buttons: [Kv<'a, Reply<'a>>; 2],
    }

    #[derive(Serialize)]
    struct Reply<'a> {
        reply: Id<'a>,
    }

    #[derive(Serialize)]
    struct Id<'a> {
        id: &'a str,
        title: &'a str,
    }

    fn buttons() -> Buttons<'static> {
        let reply = |id, title| Kv {
            kind: "reply",
            value: Reply {
                reply: Id { id, title },
            },
        };
        Buttons {
            buttons: [reply("track", "Track order"), reply("agent", "Talk to us")],
        }
    }

    pub fn reply_v1() -> Vec<u8> {
        let action = serde_json::to_string(&buttons()).unwrap();
        let fields: [(&str, &str); 9] = [
            ("to", TO),
            ("type", "reply"),
            ("channel", "whatsapp"),
            ("from", FROM),
            ("body", "Your order 4711 ships tomorrow. Anything else?"),
            ("footer", "Reply STOP to opt out"),
            ("action", &action),
            ("header_type", "text"),
            ("header_value", "Order 4711"),
        ];
        serde_urlencoded::to_string(fields).unwrap().into_bytes()
    }

    pub fn reply_v2() -> Vec<u8> {
        #[derive(Serialize)]
        struct Content<'a> {
            interactive: Interactive<'a>,
        }
        #[derive(Serialize)]
        struct Interactive<'a> {
            #[serde(rename = "type")]
            kind: &'a str,
            header: Kv<'a, Text<'a>>,
            body: Text<'a>,
            footer: Text<'a>,
            action: Buttons<'a>,
        }
        let content = Content {
            interactive: Interactive {
                kind: "button",
                header: Kv {
                    kind: "text",
                    value: Text { text: "Order 4711" },
                },
                body: Text {
                    text: "Your order 4711 ships tomorrow. Anything else?",
                },
                footer: Text {
                    text: "Reply STOP to opt out",
                },
                action: buttons(),
            },
        };
        let object = Object {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to: TO,
            kind: "interactive",
            content,
        };
        serde_json::to_vec(&Envelope {
            messaging_object: object,
        })
        .unwrap()
    }
}

/// The library and the baseline must build the same bytes, or the
/// comparison means nothing.
fn assert_same_bytes(v1: &Client, v2: &Client) {
    let t = ticket();
    let same_form = |ours: &[u8], theirs: Vec<u8>| {
        let ours: Vec<(String, String)> = serde_urlencoded::from_bytes(ours).unwrap();
        let theirs: Vec<(String, String)> = serde_urlencoded::from_bytes(&theirs).unwrap();
        assert_eq!(ours, theirs);
    };
    let same_json = |ours: &[u8], theirs: Vec<u8>| {
        let ours: serde_json::Value = serde_json::from_slice(ours).unwrap();
        let theirs: serde_json::Value = serde_json::from_slice(&theirs).unwrap();
        assert_eq!(ours, theirs);
    };
    same_form(
        t.prepare(v1, TO).unwrap().body(),
        baseline::template_v1("John", "Doe", PDF, "4711", "confirm-4711"),
    );
    same_json(
        t.prepare(v2, TO).unwrap().body(),
        baseline::template_v2("John", "Doe", PDF, "4711", "confirm-4711"),
    );
    same_form(
        v1.prepare(&reply(), TO).unwrap().body(),
        baseline::reply_v1(),
    );
    same_json(
        v2.prepare(&reply(), TO).unwrap().body(),
        baseline::reply_v2(),
    );
}

/// Every case, by name, as (library, baseline) closures.
type Case = (&'static str, Box<dyn Fn()>, Box<dyn Fn()>);

fn cases() -> Vec<Case> {
    let v1 = client(Api::V1);
    let v2 = client(Api::V2(Pod::In));
    assert_same_bytes(&v1, &v2);
    // The message's data exists before either side runs: built once, outside.
    let t = std::rc::Rc::new(ticket());
    let r = std::rc::Rc::new(reply());
    let (t1, t2, t3, t4) = (t.clone(), t.clone(), t.clone(), t);
    let (r1, r2) = (r.clone(), r);
    let (v1_reply, v2_reply) = (v1.clone(), v2.clone());
    vec![
        (
            "mediatemplate/v1",
            Box::new(move || drop(black_box(&*t1).prepare(&v1, TO).unwrap())),
            Box::new(move || {
                let t = black_box(&*t2);
                drop(baseline::template_v1(
                    t.first_name,
                    &t.last_name,
                    t.ticket.as_str(),
                    &t.login_path,
                    &t.confirm_payload,
                ))
            }),
        ),
        (
            "mediatemplate/v2",
            Box::new(move || drop(black_box(&*t3).prepare(&v2, TO).unwrap())),
            Box::new(move || {
                let t = black_box(&*t4);
                drop(baseline::template_v2(
                    t.first_name,
                    &t.last_name,
                    t.ticket.as_str(),
                    &t.login_path,
                    &t.confirm_payload,
                ))
            }),
        ),
        (
            "reply_buttons/v1",
            Box::new(move || drop(v1_reply.prepare(black_box(&*r1), TO).unwrap())),
            Box::new(|| drop(black_box(baseline::reply_v1()))),
        ),
        (
            "reply_buttons/v2",
            Box::new(move || drop(v2_reply.prepare(black_box(&*r2), TO).unwrap())),
            Box::new(|| drop(black_box(baseline::reply_v2()))),
        ),
    ]
}

fn prepare(c: &mut Criterion) {
    let v1 = client(Api::V1);
    let v2 = client(Api::V2(Pod::In));
    assert_same_bytes(&v1, &v2);
    let t = ticket();
    let r = reply();

    let mut group = c.benchmark_group("prepare/mediatemplate/v1");
    group.bench_function("derived", |b| {
        b.iter(|| black_box(&t).prepare(&v1, TO).unwrap())
    });
    group.bench_function("baseline", |b| {
        b.iter(|| {
            baseline::template_v1(
                black_box(t.first_name),
                &t.last_name,
                t.ticket.as_str(),
                &t.login_path,
                &t.confirm_payload,
            )
        })
    });
    group.finish();

    let mut group = c.benchmark_group("prepare/mediatemplate/v2");
    group.bench_function("derived", |b| {
        b.iter(|| black_box(&t).prepare(&v2, TO).unwrap())
    });
    group.bench_function("baseline", |b| {
        b.iter(|| {
            baseline::template_v2(
                black_box(t.first_name),
                &t.last_name,
                t.ticket.as_str(),
                &t.login_path,
                &t.confirm_payload,
            )
        })
    });
    group.finish();

    let mut group = c.benchmark_group("prepare/reply_buttons/v1");
    group.bench_function("library", |b| {
        b.iter(|| v1.prepare(black_box(&r), TO).unwrap())
    });
    group.bench_function("baseline", |b| b.iter(baseline::reply_v1));
    group.finish();

    let mut group = c.benchmark_group("prepare/reply_buttons/v2");
    group.bench_function("library", |b| {
        b.iter(|| v2.prepare(black_box(&r), TO).unwrap())
    });
    group.bench_function("baseline", |b| b.iter(baseline::reply_v2));
    group.finish();
}

criterion_group!(benches, prepare);

fn main() {
    // `KALEYRA_BENCH_COUNT=mediatemplate/v1/baseline:1000`: run one case that
    // many times, for an instruction count, instead of criterion.
    if let Ok(spec) = std::env::var("KALEYRA_BENCH_COUNT") {
        let (case, iterations) = spec.rsplit_once(':').expect("<case>:<iterations>");
        let (name, side) = case.rsplit_once('/').expect("<case>/<library|baseline>");
        let iterations: usize = iterations.parse().expect("a number of iterations");
        let cases = cases();
        let (_, library, baseline) = cases
            .iter()
            .find(|(n, _, _)| *n == name)
            .expect("a known case");
        let run = if side == "baseline" {
            baseline
        } else {
            library
        };
        for _ in 0..iterations {
            run();
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
