"""Our Semgrep rule pack against Bandit's default tests on the same files (CyberSecEval's
labelled insecure Python), TPR - FPR per CWE family, side by side; then the time each takes.

    python benchmarks/vuln_code_bench.py [--data ../shared/data]

Scoring: shieldwall.vuln.code.scoring (a file is a true positive for a family when the tool
reports that family anywhere in it; negatives are the files labelled with another family).
Bandit is scored twice: on every file, and on only the files it could parse (CyberSecEval holds
Python 2 code and cut-off fragments, which Bandit skips and Semgrep's parser tolerates). Bandit's
findings are credited by Shieldwall's Bandit-test -> family map (B506 yaml.load counts as
deserialization though Bandit tags it CWE-20), which is generous to Bandit.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from shieldwall.vuln.code.analyse import analyse_tree
from shieldwall.vuln.code.files import SourceTree, collect
from shieldwall.vuln.code.scoring import Sample, Score, load_samples, score

REPO = Path(__file__).resolve().parents[1]


def _row(name: str, s: Score) -> dict[str, str]:
    cells = {"tool": name, "all": f"{s.tpr - s.fpr:+.3f}"}
    cells |= {f.family: f"{f.tpr - f.fpr:+.3f}" for f in s.families}
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sw-code-bench-") as tmp:
        root = Path(tmp)
        samples = load_samples(args.data / "vuln" / "cyberseceval.zip", root, languages=["python"])
        tree = collect(root)
        t0 = time.perf_counter()
        ours = analyse_tree(tree, analysers=["semgrep"])
        t1 = time.perf_counter()
        bandit = analyse_tree(tree, analysers=["bandit"])
        t2 = time.perf_counter()
        parsed = set(tree.files) - {s.path for s in bandit.skipped}
        subset: list[Sample] = [s for s in samples if s.name in parsed]
        sub_tree = SourceTree(root=root, files={p: tree.files[p] for p in parsed})
        ours_sub = analyse_tree(sub_tree, analysers=["semgrep"])
    rows = [
        _row("shieldwall pack (semgrep)", score(samples, ours.findings, language="python")),
        _row("bandit defaults", score(samples, bandit.findings, language="python")),
        _row(
            f"shieldwall pack, {len(subset)} files bandit parsed",
            score(subset, ours_sub.findings, language="python"),
        ),
        _row(
            f"bandit defaults, {len(subset)} files it parsed",
            score(subset, bandit.findings, language="python"),
        ),
    ]
    columns = list(dict.fromkeys(k for r in rows for k in r))
    widths = {c: max(len(c), *(len(r.get(c, "")) for r in rows)) for c in columns}
    print(f"CyberSecEval Python: {len(samples)} labelled files; TPR - FPR per CWE family")
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for r in rows:
        print("  ".join(r.get(c, "-").ljust(widths[c]) for c in columns))
    s_ours = score(samples, ours.findings, language="python")
    s_band = score(samples, bandit.findings, language="python")
    print(
        f"\nTPR/FPR: shieldwall {s_ours.tpr:.3f}/{s_ours.fpr:.3f}, "
        f"bandit {s_band.tpr:.3f}/{s_band.fpr:.3f}; "
        f"bandit could not parse {len(tree.files) - len(parsed)} of {len(tree.files)} files"
    )
    print(f"time: semgrep with our pack {t1 - t0:.1f} s, bandit {t2 - t1:.1f} s")


if __name__ == "__main__":
    main()
