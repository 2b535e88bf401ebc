#!/usr/bin/python3
"""Build the class-balanced Fashion-MNIST subset shipped in data/fashion-mnist/.

Reads the full set from Debian's dataset-fashion-mnist package
(/usr/share/datasets/fashion-mnist/ by default) and keeps, for each of the 10 classes,
the first K images of that class in file order (K = 1200 for train, 200 for test).
The kept images stay in their original relative order. Output is written in the same
IDX format, gzip-compressed with a zero timestamp and no file name so that running the
script twice gives byte-identical files.

Usage: /usr/bin/python3 data/tools/make_fashion_mnist_subset.py [SOURCE_DIR] [OUTPUT_DIR]
"""
import gzip
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
OUTPUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "fashion-mnist")
CLASSES = 10
SPLITS = [("train", 1200), ("t10k", 200)]


def read_idx(path, expected_magic):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    if magic != expected_magic:
        sys.exit(f"{path}: magic 0x{magic:08X}, expected 0x{expected_magic:08X}")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    body = data[4 + 4 * ndim :]
    size = 1
    for d in dims:
        size *= d
    if len(body) != size:
        sys.exit(f"{path}: expected {size} bytes after the header, found {len(body)}")
    return dims, body


def write_idx_gz(path, magic, dims, body):
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * len(dims), *dims)
    with open(path, "wb") as raw:
        # mtime=0 and an empty file name keep the output byte-for-byte reproducible.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(header)
            gz.write(body)


def main():
    os.makedirs(OUTPUT, exist_ok=True)
    for split, per_class in SPLITS:
        (count,), labels = read_idx(os.path.join(SOURCE, f"{split}-labels-idx1-ubyte.gz"), 0x00000801)
        (n, rows, cols), images = read_idx(os.path.join(SOURCE, f"{split}-images-idx3-ubyte.gz"), 0x00000803)
        if n != count:
            sys.exit(f"{split}: {n} images but {count} labels")

        taken = [0] * CLASSES
        keep = []
        for i, label in enumerate(labels):
            if taken[label] < per_class:
                taken[label] += 1
                keep.append(i)
        if any(t != per_class for t in taken):
            sys.exit(f"{split}: not enough images per class: {taken}")

        pixels = rows * cols
        subset_images = b"".join(images[i * pixels : (i + 1) * pixels] for i in keep)
        subset_labels = bytes(labels[i] for i in keep)
        write_idx_gz(os.path.join(OUTPUT, f"{split}-images-idx3-ubyte.gz"), 0x00000803,
                     (len(keep), rows, cols), subset_images)
        write_idx_gz(os.path.join(OUTPUT, f"{split}-labels-idx1-ubyte.gz"), 0x00000801,
                     (len(keep),), subset_labels)
        print(f"{split}: kept {len(keep)} of {count} ({per_class} per class), last source index {keep[-1]}")


if __name__ == "__main__":
    main()
