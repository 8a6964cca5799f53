#!/usr/bin/env python3
"""Rewrites the Results section of BENCHMARKS.md from bench/results (run from the repository root)."""
import subprocess, re
summary = subprocess.run(["python3", "bench/summarize.py", "bench/results"], capture_output=True, text=True, check=True).stdout
# drop the machine block (it is described above)
summary = re.sub(r"\A```.*?```\n+", "", summary, flags=re.S)
s = open("BENCHMARKS.md").read()
start = s.index("## Results\n") + len("## Results\n")
end = s.index("## How cost grows") if "## How cost grows" in s else s.index("## Findings")
s = s[:start] + "\n" + summary.strip() + "\n\n" + s[end:]
open("BENCHMARKS.md", "w").write(s)
