//! How fast the encoder runs natively: `cargo run --release -p cuecard-meaning
//! --features convert --example throughput [texts] [words]` embeds that many
//! texts of that many words in one thread and prints tokens a second.

use std::time::Instant;

use cuecard_meaning::{Encoder, convert, location::default_model_dir};

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().expect("a number"));
    let (count, words) = (args.next().unwrap_or(200), args.next().unwrap_or(40));
    let dir = default_model_dir().expect("a home directory");
    let started = Instant::now();
    let weights = convert::from_dir(&dir, "throughput").expect("the model (cargo xtask setup)");
    let bytes = weights.to_bytes();
    println!("model: {} bytes, converted in {:.2?}", bytes.len(), started.elapsed());
    let encoder = Encoder::from_bytes(&bytes).expect("its own file");
    let vocabulary = ["refund", "payment", "late", "fee", "phone", "network", "macro", "workbook", "opens", "customer", "account", "billing"];
    let texts: Vec<String> = (0..count)
        .map(|i| (0..words).map(|w| vocabulary[(i * 7 + w * 3) % vocabulary.len()]).collect::<Vec<_>>().join(" "))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let tokens: usize = refs.iter().map(|t| encoder.token_ids(t).len()).sum();
    let started = Instant::now();
    let vectors = encoder.embed_many(&refs);
    let elapsed = started.elapsed();
    println!("{} texts, {tokens} tokens in {elapsed:.2?}: {:.0} tokens/s, {:.1} ms a text", vectors.len(), tokens as f64 / elapsed.as_secs_f64(), elapsed.as_secs_f64() * 1000.0 / count as f64);
    let started = Instant::now();
    for _ in 0..20 {
        std::hint::black_box(encoder.embed("phone says no service since this morning"));
    }
    println!("one query: {:.1} ms", started.elapsed().as_secs_f64() * 1000.0 / 20.0);
}
