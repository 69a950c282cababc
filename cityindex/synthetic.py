"""Synthetic datasets of any size, for benchmarks, tests and trying things out.

Every value is marked ``modeled`` with the source ``synthetic``: nothing here is real.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cityindex.dataset import Dataset, dataset_from_frames

AREAS = (
    ("verwaltung", "Verwaltung", "Administration"),
    ("it_kommunikation", "IT und Kommunikation", "IT and communication"),
    ("energie_umwelt", "Energie und Umwelt", "Energy and environment"),
    ("mobilitaet", "Mobilität", "Mobility"),
    ("gesellschaft", "Gesellschaft", "Society"),
)


def synthetic_frames(
    n_cities: int = 81,
    n_indicators: int = 160,
    editions: tuple[int, ...] = (2024,),
    *,
    categories_per_area: int = 7,
    missing_share: float = 0.0,
    seed: int = 1,
) -> dict[str, pd.DataFrame]:
    """The tables of a synthetic dataset (see :func:`synthetic_dataset`)."""
    rng = np.random.default_rng(seed)
    city_ids = np.array([f"S{i:06d}" for i in range(n_cities)], dtype=object)
    cities = pd.DataFrame(
        {
            "city_id": city_ids,
            "name": [f"Synthstadt {i}" for i in range(n_cities)],
            "state": "Synthland",
            "population": rng.integers(100_000, 3_500_000, n_cities),
            "population_year": 2023,
            "lat": rng.uniform(47.5, 54.8, n_cities).round(5),
            "lon": rng.uniform(6.0, 14.9, n_cities).round(5),
            "source": "synthetic",
        }
    )
    areas = pd.DataFrame(
        {"area_id": [a[0] for a in AREAS], "name_de": [a[1] for a in AREAS],
         "name_en": [a[2] for a in AREAS], "weight": 1.0}
    )
    n_cat = len(AREAS) * categories_per_area
    categories = pd.DataFrame(
        {
            "category_id": [f"K{k:03d}" for k in range(n_cat)],
            "area_id": [AREAS[k // categories_per_area][0] for k in range(n_cat)],
            "name_de": [f"Kategorie {k}" for k in range(n_cat)],
            "weight": rng.integers(1, 4, n_cat).astype(float),
        }
    )
    kinds = rng.choice(["yes_no", "share", "count", "score"], n_indicators, p=[.3, .3, .2, .2])
    indicators = pd.DataFrame(
        {
            "indicator_id": [f"P{j:04d}" for j in range(n_indicators)],
            "category_id": [f"K{j % n_cat:03d}" for j in range(n_indicators)],
            "name_de": [f"Parameter {j}" for j in range(n_indicators)],
            "kind": kinds,
            "direction": np.where(rng.random(n_indicators) < 0.1, "-1", "1"),
            "weight": rng.integers(1, 3, n_indicators).astype(float),
            # the yes/no indicators of the first area's categories are online services
            "service": (kinds == "yes_no")
            & (np.arange(n_indicators) % n_cat < categories_per_area),
        }
    )
    indicators["service"] = indicators["service"].astype(int)

    parts = []
    for edition in editions:
        talent = rng.normal(0, 1, n_cities)
        latent = talent[:, None] + rng.normal(0, 1.2, (n_cities, n_indicators))
        prob = 1 / (1 + np.exp(-latent))
        values = np.empty((n_cities, n_indicators))
        for kind, fn in (
            ("yes_no", lambda p: (rng.random(p.shape) < p).astype(float)),
            ("share", lambda p: np.round(100 * p, 1)),
            ("count", lambda p: np.round(50 * p**2, 2)),
            ("score", lambda p: np.round(100 * p, 2)),
        ):
            cols = kinds == kind
            values[:, cols] = fn(prob[:, cols])
        if missing_share > 0:
            values[rng.random(values.shape) < missing_share] = np.nan
        parts.append(
            pd.DataFrame(
                {
                    "edition": edition,
                    "city_id": np.repeat(city_ids, n_indicators),
                    "indicator_id": np.tile(indicators["indicator_id"].to_numpy(), n_cities),
                    "value": values.ravel(),
                    "provenance": "modeled",
                    "source": "synthetic",
                }
            )
        )
    values = pd.concat(parts, ignore_index=True)
    return {
        "cities": cities,
        "areas": areas,
        "categories": categories,
        "indicators": indicators,
        "values": values,
    }


def synthetic_dataset(
    n_cities: int = 81, n_indicators: int = 160, editions: tuple[int, ...] = (2024,), **kw
) -> Dataset:
    """A validated synthetic dataset: ``n_cities`` x ``n_indicators`` per edition, five areas."""
    return dataset_from_frames(**synthetic_frames(n_cities, n_indicators, editions, **kw))


def write_synthetic(folder: str | Path, **kw) -> Path:
    """Write a synthetic dataset as a folder of CSV files (the documented format)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in synthetic_frames(**kw).items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder
