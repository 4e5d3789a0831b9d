"""footprint_numpy.py: an independent numpy implementation of thirst's training model and of the
inverse CDFs of its priors, for checks against third-party tools (SALib) that hand the model
points of the unit hypercube. Written from DESIGN.md sections 2-3, not from thirst's C code.

prior_ppf(spec, u): the value of a scenario prior at uniform u (array), canonical units only.
training_outputs(values): the six training outputs from a dict of parameter arrays.
"""
import math
import re

import numpy as np
from scipy.special import ndtr, ndtri


def _percentiles(spec):
    found = sorted((float(key[1:]) / 100, float(value)) for key, value in spec.items()
                   if re.fullmatch(r"p[0-9.]+", key))
    if len(found) != 2:
        raise ValueError("expected two percentiles")
    return found


def prior_ppf(spec, u):
    """Inverse CDF of one prior (dict from the scenario file) at uniforms u in (0, 1)."""
    u = np.clip(np.asarray(u, dtype=np.float64), 1e-12, 1 - 1e-12)
    dist = spec["dist"]
    if spec.get("unit") not in (None, "count", "h", "kW", "ratio", "L/kWh", "kg/kWh", "Wh", "kWh"):
        raise ValueError(f"unit {spec.get('unit')} not supported here")
    if dist == "fixed":
        return np.full_like(u, spec["value"])
    if dist == "uniform":
        return spec["low"] + u * (spec["high"] - spec["low"])
    if dist == "loguniform":
        return np.exp(math.log(spec["low"]) + u * math.log(spec["high"] / spec["low"]))
    if dist == "triangular":
        low, mode, high = spec["low"], spec["mode"], spec["high"]
        cut = (mode - low) / (high - low)
        return np.where(u < cut, low + np.sqrt(u * (high - low) * (mode - low)),
                        high - np.sqrt((1 - u) * (high - low) * (high - mode)))
    if dist == "normal":
        if "mean" in spec:
            mean, sd = spec["mean"], spec["sd"]
        else:
            (p0, x0), (p1, x1) = _percentiles(spec)
            sd = (x1 - x0) / (ndtri(p1) - ndtri(p0))
            mean = x0 - sd * ndtri(p0)
        lower = ndtr((spec["low"] - mean) / sd) if "low" in spec else 0.0
        upper = ndtr((spec["high"] - mean) / sd) if "high" in spec else 1.0
        return mean + sd * ndtri(lower + u * (upper - lower))
    if dist == "lognormal":
        if "median" in spec:
            mu, sigma = math.log(spec["median"]), math.log(spec["gsd"])
        elif "mean" in spec:
            sigma = math.sqrt(math.log1p((spec["sd"] / spec["mean"]) ** 2))
            mu = math.log(spec["mean"]) - sigma * sigma / 2
        else:
            (p0, x0), (p1, x1) = _percentiles(spec)
            sigma = (math.log(x1) - math.log(x0)) / (ndtri(p1) - ndtri(p0))
            mu = math.log(x0) - sigma * ndtri(p0)
        return np.exp(mu + sigma * ndtri(u))
    raise ValueError(f"distribution {dist} not supported here")


def training_outputs(values):
    """Training outputs (DESIGN.md section 3) from parameter arrays in canonical units."""
    it_energy = values["accelerators"] * values["hours"] * values["accelerator_kw"]
    facility = it_energy * values["pue"]
    onsite = it_energy * values["wue_onsite"]
    offsite = facility * values["ewif"]
    return {
        "it_energy_kwh": it_energy,
        "facility_energy_kwh": facility,
        "water_onsite_l": onsite,
        "water_offsite_l": offsite,
        "water_total_l": onsite + offsite,
        "carbon_kg": facility * values["carbon_intensity"],
    }
