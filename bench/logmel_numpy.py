#!/usr/bin/env python3
"""The log-mel front end in vectorised numpy (the transform of tools/fixtures/make_logmel_fixture.py: framing by
fancy indexing, one rfft over all frames, one matrix product with the filterbank, log, np.interp to 256 frames), on
10 s of 16 kHz audio, one thread. Prints JSON: logmel_per_s_1thread."""
import json, os, sys, time
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
import numpy as np
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tools", "fixtures"))
import make_logmel_fixture as ref

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.5
rng = np.random.default_rng(1)
i = np.arange(10 * ref.SR)
x = (0.3 * np.sin(2 * np.pi * 440 * i / ref.SR) + 0.05 * (rng.random(len(i)) - 0.5)).astype(np.float32).astype(np.float64)
fb = ref.filterbank()
ref.filterbank = lambda: fb  # built once, as the Java side builds it once
end = time.perf_counter() + seconds
while time.perf_counter() < end:
    ref.logmel(x)
n, t0 = 0, time.perf_counter()
while time.perf_counter() - t0 < seconds:
    ref.logmel(x)
    n += 1
print(json.dumps({"numpy": np.__version__, "logmel_per_s_1thread": n / (time.perf_counter() - t0)}))
