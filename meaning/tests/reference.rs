//! The quantised model against the reference implementations
//! (`reference.py` wrote `reference.json`): the same token ids as Hugging
//! Face's tokenizer, and vectors within int8's error of the f32 model's,
//! whose similarities are sentence-transformers' documented ones (0.666
//! and 0.105 for its quick-start sentences). Needs the model that
//! `cargo xtask setup` installs.
#![cfg(feature = "convert")]

use cuecard_meaning::encoder::dot;
use cuecard_meaning::location::default_model_dir;
use cuecard_meaning::{Encoder, Weights, convert};

#[derive(serde::Deserialize)]
struct Reference {
    text: String,
    ids: Vec<u32>,
    vector: Vec<f32>,
}

fn encoder() -> Encoder {
    let dir = default_model_dir().expect("a home directory");
    let weights = convert::from_dir(&dir, "test")
        .unwrap_or_else(|e| panic!("{e}\n(the model comes from `cargo xtask setup`, into {})", dir.display()));
    // Through the file format, as the browser reads it.
    Encoder::from_bytes(&weights.to_bytes()).unwrap()
}

fn references() -> Vec<Reference> {
    serde_json::from_str(include_str!("reference.json")).unwrap()
}

#[test]
fn tokenizes_like_the_reference_and_embeds_within_int8_error() {
    let encoder = encoder();
    let references = references();
    let texts: Vec<&str> = references.iter().map(|r| r.text.as_str()).collect();
    let vectors = encoder.embed_many(&texts);
    let mut lowest = 1f32;
    for (reference, vector) in references.iter().zip(&vectors) {
        assert_eq!(encoder.token_ids(&reference.text), reference.ids, "{}", reference.text);
        let cosine = dot(vector, &reference.vector);
        assert!(cosine > 0.99, "{:?}: cosine {cosine} with the f32 reference", reference.text);
        lowest = lowest.min(cosine);
    }
    eprintln!("lowest cosine between the int8 model's vector and the f32 reference's: {lowest:.4}");
    let similarity = |a: usize, b: usize| dot(&vectors[a], &vectors[b]);
    assert!((similarity(0, 1) - 0.666).abs() < 0.02, "{}", similarity(0, 1));
    assert!((similarity(0, 2) - 0.105).abs() < 0.02, "{}", similarity(0, 2));
    // A caller's words for an article's title.
    assert!(similarity(3, 4) > similarity(3, 0) + 0.3);
}

#[test]
fn the_model_file_is_a_quarter_of_f32_and_deterministic() {
    let dir = default_model_dir().unwrap();
    let a = convert::from_dir(&dir, "test").unwrap().to_bytes();
    let b = convert::from_dir(&dir, "test").unwrap().to_bytes();
    assert_eq!(a, b);
    let f32_bytes = std::fs::metadata(dir.join("model.safetensors")).unwrap().len() as usize;
    assert!(a.len() < f32_bytes / 3, "{} vs {f32_bytes}", a.len());
    assert!(a.len() <= 25_000_000, "{}", a.len());
    assert_eq!(Weights::from_bytes(&a).unwrap().to_bytes(), a);
    // A model kept at f32 (for `eval --meaning-f32`) writes the same file.
    assert_eq!(convert::from_dir_f32(&dir, "test").unwrap().to_bytes(), a);
}

#[test]
fn at_f32_the_forward_pass_matches_the_reference_exactly() {
    let dir = default_model_dir().unwrap();
    let encoder = Encoder::new(convert::from_dir_f32(&dir, "test").unwrap()).unwrap();
    let references = references();
    let texts: Vec<&str> = references.iter().map(|r| r.text.as_str()).collect();
    for (reference, vector) in references.iter().zip(encoder.embed_many(&texts)) {
        let cosine = dot(&vector, &reference.vector);
        // Only float rounding between numpy's order of sums and ours.
        assert!(cosine > 0.9999, "{:?}: cosine {cosine} with the f32 reference", reference.text);
    }
}
