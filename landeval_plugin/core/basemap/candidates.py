"""Which earlier parcels' boxes overlap each parcel's box, for every parcel at once (numpy).

The overlay clips each parcel by the parcels accepted before it. It used to ask a
QgsSpatialIndex for every parcel (libspatialindex: about 6 µs a query, 14 µs an insert, most of
it copying its nodes in and out of byte arrays). The order of the index's answer matters only
when a parcel really overlaps two or more earlier ones (they are subtracted one by one, in that
order, and another order could give the same area with other vertices); for all the others the
set of candidates is enough. ``earlier_overlaps`` gives that set for every parcel from the boxes
read, in a few vectorised passes over a uniform grid, and the overlay asks the QgsSpatialIndex
(filled with the same entries in the same order, so the same tree) only for the parcels that
really overlap two or more (``BaseMapBuilder.overlay``).

A box here is (x min, y min, x max, y max); two boxes overlap when they share more than an
edge (the overlay skips boxes that only touch). Anything the grid cannot handle well returns
None with the reason, and the overlay queries the index for every parcel as before.
"""
MAX_CELLS_PER_BOX = 64  # boxes over more cells are compared with every box directly
MAX_BIG_BOXES = 256
MAX_CELL_LOAD = 4096  # boxes sharing one cell: beyond this the pairs are not worth generating
CHUNK_RUNS = 8192  # cells whose pairs are generated and tested at once


class Declined(Exception):
    """The candidates cannot be computed here; the message says why."""


def earlier_overlaps(boxes):
    """For each box k, the ascending list of the indexes j < k whose boxes overlap box k
    (strictly: x0_j < x1_k and x1_j > x0_k and y0_j < y1_k and y1_j > y0_k), as a list of
    tuples (empty for none). ``boxes``: 4-tuples, or their numbers one after the other (an
    array('d')). Raises Declined with the reason when it cannot."""
    try:
        import numpy as np
    except ImportError as exc:
        raise Declined("numpy is not available") from exc
    b = np.array(boxes, dtype=np.float64).reshape(-1, 4)
    n = len(b)
    if n < 2:
        return [()] * n
    if not np.isfinite(b).all():
        raise Declined("a box with a non-finite coordinate")
    x0, y0, x1, y1 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    size = max(float(np.median(x1 - x0)), float(np.median(y1 - y0)))  # a cell: about one parcel
    ox, oy = float(x0.min()), float(y0.min())
    if not (size > 0 and np.isfinite(size)):
        raise Declined("no usable grid size")
    cx0 = np.floor((x0 - ox) / size).astype(np.int64)
    cx1 = np.floor((x1 - ox) / size).astype(np.int64)
    cy0 = np.floor((y0 - oy) / size).astype(np.int64)
    cy1 = np.floor((y1 - oy) / size).astype(np.int64)
    ncy = int(cy1.max()) + 1
    if (int(cx1.max()) + 1) * ncy >= 2 ** 62 or not (cx0 <= cx1).all() or not (cy0 <= cy1).all():
        raise Declined("boxes the grid cannot hold")
    nx, ny = cx1 - cx0 + 1, cy1 - cy0 + 1
    cells = nx * ny
    big = cells > MAX_CELLS_PER_BOX
    firsts, seconds = [], []
    big_ids = np.flatnonzero(big)
    if len(big_ids) > MAX_BIG_BOXES:
        raise Declined("{} boxes over more than {} grid cells".format(len(big_ids), MAX_CELLS_PER_BOX))
    for i in big_ids.tolist():  # a street network's box: against every box, directly
        hit = np.flatnonzero((x0 < x1[i]) & (x1 > x0[i]) & (y0 < y1[i]) & (y1 > y0[i]))
        hit = hit[hit != i]
        firsts.append(np.minimum(hit, i))
        seconds.append(np.maximum(hit, i))
    small = ~big
    ids, nx, cx0, cy0, cells = np.flatnonzero(small), nx[small], cx0[small], cy0[small], cells[small]
    total = int(cells.sum())
    rep = np.repeat(np.arange(len(ids)), cells)
    offset = np.arange(total) - np.repeat(np.cumsum(cells) - cells, cells)
    key = (cx0[rep] + offset % nx[rep]) * ncy + (cy0[rep] + offset // nx[rep])
    owner = ids[rep]
    order = np.lexsort((owner, key))
    del rep, offset
    if len(key):
        _cell_pairs(np, key[order], owner[order], b, firsts, seconds)
    del key, owner, order
    if not firsts:
        return [()] * n
    code = np.unique(np.concatenate(seconds) * n + np.concatenate(firsts))  # by k, then j; once each
    later, earlier = code // n, code % n
    result = [()] * n
    if len(code):
        starts = np.flatnonzero(np.diff(later, prepend=-1))
        bounds = starts.tolist() + [len(code)]
        earlier = earlier.tolist()
        for s, e, kk in zip(bounds, bounds[1:], later[starts].tolist()):
            result[kk] = tuple(earlier[s:e])
    return result


def _cell_pairs(np, key, owner, b, firsts, seconds):
    """Append to ``firsts`` and ``seconds`` every pair (j < k) of overlapping boxes that share a
    cell; ``key`` (cell) and ``owner`` (box) sorted by cell, then box. After position p of its
    cell's run come the boxes it meets there; in chunks of whole runs, so that the pairs tested
    are never all held at once."""
    x0, y0, x1, y1 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    run_start = np.flatnonzero(np.diff(key, prepend=key[0] - 1))
    run_len = np.diff(np.append(run_start, len(key)))
    if int(run_len.max()) > MAX_CELL_LOAD:
        raise Declined("more than {} boxes in one grid cell".format(MAX_CELL_LOAD))
    after = np.repeat(run_start + run_len, run_len) - np.arange(len(key)) - 1
    cuts = np.append(run_start[::CHUNK_RUNS], len(key)).tolist()
    del run_start, run_len
    for lo, hi in zip(cuts, cuts[1:]):
        count = after[lo:hi]
        pairs = int(count.sum())
        if not pairs:
            continue
        first = np.repeat(np.arange(lo, hi), count)
        second = first + 1 + np.arange(pairs) - np.repeat(np.cumsum(count) - count, count)
        a, k = owner[first], owner[second]
        keep = (x0[a] < x1[k]) & (x1[a] > x0[k]) & (y0[a] < y1[k]) & (y1[a] > y0[k])
        firsts.append(a[keep])
        seconds.append(k[keep])
