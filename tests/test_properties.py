"""Property-based tests (hypothesis) over random small datasets: results do not depend on row
or column order or on the file format; min-max ranks do not change when an indicator is scaled;
improving a city never lowers its score; tied cities share a rank. Time-boxed: modest
max_examples, no deadline."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cityindex
from cityindex.readers import read_upload

SETTINGS = settings(max_examples=15, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def datasets(draw) -> dict[str, pd.DataFrame]:
    """3–6 cities, 2–6 indicators in 1–3 categories of 1–2 areas, values 0–100 with two
    decimals (some missing), directions ±1, weights 1–3."""
    n_cities = draw(st.integers(3, 6))
    n_ind = draw(st.integers(2, 6))
    n_areas = draw(st.integers(1, 2))
    n_cats = draw(st.integers(n_areas, min(3, n_ind)))
    cities = pd.DataFrame({"city_id": [f"C{i}" for i in range(n_cities)],
                           "name": [f"Stadt {i}" for i in range(n_cities)]})
    areas = pd.DataFrame({"area_id": [f"A{a}" for a in range(n_areas)],
                          "name_de": [f"Bereich {a}" for a in range(n_areas)],
                          "weight": draw(st.lists(st.integers(1, 3), min_size=n_areas,
                                                  max_size=n_areas))})
    categories = pd.DataFrame({"category_id": [f"K{k}" for k in range(n_cats)],
                               "area_id": [f"A{k % n_areas}" for k in range(n_cats)],
                               "name_de": [f"Kategorie {k}" for k in range(n_cats)],
                               "weight": draw(st.lists(st.integers(1, 3), min_size=n_cats,
                                                       max_size=n_cats))})
    indicators = pd.DataFrame({
        "indicator_id": [f"i{j}" for j in range(n_ind)],
        "category_id": [f"K{j % n_cats}" for j in range(n_ind)],
        "name_de": [f"Parameter {j}" for j in range(n_ind)],
        "kind": "score",
        "direction": draw(st.lists(st.sampled_from(["1", "-1"]), min_size=n_ind,
                                   max_size=n_ind)),
        "weight": draw(st.lists(st.integers(1, 3), min_size=n_ind, max_size=n_ind)),
    })
    cells = draw(st.lists(st.one_of(st.none(), st.integers(0, 10_000).map(lambda x: x / 100)),
                          min_size=n_cities * n_ind, max_size=n_cities * n_ind))
    # every indicator varies: the first city is worst and the second best everywhere
    cells[:2 * n_ind] = [0.0] * n_ind + [100.0] * n_ind
    values = pd.DataFrame({
        "edition": 2024,
        "city_id": np.repeat(cities["city_id"].to_numpy(), n_ind),
        "indicator_id": np.tile(indicators["indicator_id"].to_numpy(), n_cities),
        "value": [np.nan if c is None else c for c in cells],
    })
    return {"cities": cities, "areas": areas, "categories": categories,
            "indicators": indicators, "values": values}


def result(frames, method="bitkom", **params):
    data = cityindex.dataset_from_frames(**frames)
    table = cityindex.score(data, method, params=params).table
    return table


def totals(frames, method="bitkom") -> pd.Series:
    return result(frames, method)["total"].round(9).sort_index()


@SETTINGS
@given(datasets(), st.randoms(use_true_random=False))
def test_row_and_column_order_do_not_matter(frames, random):
    shuffled = {}
    for name, frame in frames.items():
        rows = list(range(len(frame)))
        random.shuffle(rows)
        cols = list(frame.columns)
        random.shuffle(cols)
        shuffled[name] = frame.iloc[rows][cols].reset_index(drop=True)
    # the catalogue's file order is the display order; it must not change any score
    pd.testing.assert_series_equal(totals(shuffled), totals(frames))


@SETTINGS
@given(datasets(), st.data())
def test_scaling_an_indicator_keeps_min_max_ranks(frames, data):
    j = data.draw(st.integers(0, len(frames["indicators"]) - 1))
    factor = data.draw(st.sampled_from([0.5, 2.0, 10.0, 1000.0]))
    before = result(frames, scaling="minmax")["rank"].sort_index()
    scaled = {**frames, "values": frames["values"].copy()}
    sel = scaled["values"]["indicator_id"] == f"i{j}"
    scaled["values"].loc[sel, "value"] *= factor
    after = result(scaled, scaling="minmax")["rank"].sort_index()
    pd.testing.assert_series_equal(before, after)


@SETTINGS
@given(datasets(), st.data())
def test_improving_a_city_never_lowers_its_score(frames, data):
    ind = frames["indicators"]
    up = ind.index[ind["direction"] == "1"].tolist()
    if not up:
        ind = ind.assign(direction="1")
        frames = {**frames, "indicators": ind}
        up = ind.index.tolist()
    j = data.draw(st.sampled_from(up))
    city = data.draw(st.sampled_from(frames["cities"]["city_id"].tolist()))
    step = data.draw(st.sampled_from([0.01, 1.0, 25.0]))
    values = frames["values"].copy()
    sel = (values["city_id"] == city) & (values["indicator_id"] == f"i{j}")
    if values.loc[sel, "value"].isna().all():
        values.loc[sel, "value"] = 0.0
    before = result({**frames, "values": values}).loc[city, "total"]
    better = values.copy()
    better.loc[sel, "value"] = better.loc[sel, "value"] + step
    after = result({**frames, "values": better}).loc[city, "total"]
    assert after >= before - 1e-9


@SETTINGS
@given(datasets())
def test_tied_cities_share_a_rank(frames):
    cities = pd.concat([frames["cities"], pd.DataFrame({"city_id": ["T"], "name": ["Twin"]})])
    twin = frames["values"].loc[frames["values"]["city_id"] == "C2"].assign(city_id="T")
    values = pd.concat([frames["values"], twin], ignore_index=True)
    table = result({**frames, "cities": cities, "values": values})
    rank, twin_rank = table.loc["C2", "rank"], table.loc["T", "rank"]
    if pd.isna(rank):  # C2 has no value at all: both are unranked
        assert pd.isna(twin_rank)
        return
    assert rank == twin_rank
    assert table.loc["C2", "total"] == table.loc["T", "total"]
    below = (table["rank"] > rank).fillna(False).to_numpy(dtype=bool)
    assert (table.loc[below, "rank"] > rank + 1).all()  # competition ranks: 1, 2, 2, 4


# --- every accepted format reads back to the same scores ----------------------------------


def write_csv(folder: Path, frames, **options) -> None:
    folder.mkdir()
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False, **options)


def write_german(folder: Path, frames) -> None:
    folder.mkdir()
    for name, frame in frames.items():
        text = frame.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
        (folder / f"{name}.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def write_xlsx(path: Path, frames) -> None:
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)


def write_wide(folder: Path, frames) -> None:
    write_csv(folder, {k: v for k, v in frames.items() if k != "values"})
    wide = frames["values"].pivot(index="city_id", columns="indicator_id", values="value")
    wide.insert(0, "edition", 2024)
    wide.reset_index().to_csv(folder / "values.csv", index=False)


def write_parquet(folder: Path, frames) -> None:
    write_csv(folder, {k: v for k, v in frames.items() if k != "values"})
    frames["values"].to_parquet(folder / "values.parquet", index=False)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("formats")


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(datasets())
def test_every_format_reads_back_to_the_same_scores(workdir, frames):
    expected = totals(frames)
    root = Path(workdir) / f"run{len(list(Path(workdir).iterdir()))}"
    root.mkdir()
    write_csv(root / "comma", frames)
    write_german(root / "german", frames)
    write_xlsx(root / "book.xlsx", frames)
    write_wide(root / "wide", frames)
    write_parquet(root / "parquet", frames)
    for path in ("comma", "german", "book.xlsx", "wide", "parquet"):
        data = cityindex.load_dataset(root / path)
        got = cityindex.score(data, "bitkom").table["total"].round(9).sort_index()
        pd.testing.assert_series_equal(got, expected, obj=path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for csv in (root / "german").iterdir():
            zf.write(csv, f"data/{csv.name}")
    uploaded = read_upload("data.zip", buffer.getvalue())
    got = cityindex.score(uploaded, "bitkom").table["total"].round(9).sort_index()
    pd.testing.assert_series_equal(got, expected, obj="zip upload")
    got = cityindex.score(read_upload("book.xlsx", (root / "book.xlsx").read_bytes()),
                          "bitkom").table["total"].round(9).sort_index()
    pd.testing.assert_series_equal(got, expected, obj="xlsx upload")
