"""Writes reference.json: what the reference implementations give for a few
texts, for meaning/tests/reference.rs. Token ids come from Hugging Face's
`tokenizers` (the model's own tokenizer.json); vectors from a plain numpy
forward pass of the f32 model with mean pooling and normalisation, as
sentence-transformers runs all-MiniLM-L6-v2.

    python -m venv ref && ref/bin/pip install numpy tokenizers safetensors
    ref/bin/python meaning/tests/reference.py ~/.cache/cuecard/models/all-MiniLM-L6-v2
"""
import json, math, sys
import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

TEXTS = [
    "The weather is lovely today.",
    "It's so sunny outside!",
    "He drove to the stadium.",
    "stop them taking money automatically",
    "Turn off autopay",
    "Café déjà vu — naïve résumé, 50% off!!",
    "Range.Value E-4012 wi-fi 0x80070005",
    "日本語のテキスト 中文",
    "run my macro when the workbook opens",
]

model_dir = sys.argv[1]
tok = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
tok.no_padding()  # tokenizer.json pads to 128; sentence-transformers masks padding out
t = load_file(f"{model_dir}/model.safetensors")
def ln(x, p):
    m = x.mean(-1, keepdims=True); v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + 1e-12) * t[p + ".weight"] + t[p + ".bias"]
def lin(x, p):
    return x @ t[p + ".weight"].T + t[p + ".bias"]
erf = np.vectorize(math.erf)
out = []
for text in TEXTS:
    ids = tok.encode(text).ids[:128]
    x = t["embeddings.word_embeddings.weight"][ids] + t["embeddings.position_embeddings.weight"][: len(ids)] + t["embeddings.token_type_embeddings.weight"][0]
    x = ln(x, "embeddings.LayerNorm")
    for i in range(6):
        p = f"encoder.layer.{i}"
        q, k, v = (lin(x, f"{p}.attention.self.{n}").reshape(len(ids), 12, 32).transpose(1, 0, 2) for n in ("query", "key", "value"))
        s = q @ k.transpose(0, 2, 1) / math.sqrt(32)
        s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
        c = (s @ v).transpose(1, 0, 2).reshape(len(ids), 384)
        x = ln(x + lin(c, f"{p}.attention.output.dense"), f"{p}.attention.output.LayerNorm")
        h = lin(x, f"{p}.intermediate.dense"); h = 0.5 * h * (1 + erf(h / math.sqrt(2)))
        x = ln(x + lin(h, f"{p}.output.dense"), f"{p}.output.LayerNorm")
    e = x.mean(0); e /= np.linalg.norm(e)
    out.append({"text": text, "ids": ids, "vector": [round(float(v), 6) for v in e]})
json.dump(out, open(__file__.replace("reference.py", "reference.json"), "w"), indent=0)
sims = np.array([o["vector"] for o in out[:3]]); print(np.round(sims @ sims.T, 4))
