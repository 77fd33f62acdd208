"""Helpers for the PTC binary lit tests (run with /usr/bin/python3).

  ptcbin.py header FILE            print the header fields (docs/isa.md)
  ptcbin.py corrupt IN OUT EDIT... write a corrupted copy of IN, EDITs are
      truncate=N | byte=OFFSET:VALUE | u32=OFFSET:VALUE | append=N
  ptcbin.py absent FILE            exit 1 if FILE exists
"""
import os
import struct
import sys

HEADER_FIELDS = ["version", "header_bytes", "file_bytes", "flags",
                 "code_offset", "code_count", "uop_offset", "uop_count",
                 "data_offset", "data_bytes", "symtab_offset", "symbol_count",
                 "strtab_offset", "strtab_bytes"]


def header(path):
    data = open(path, "rb").read()
    print("magic", data[:8])
    for name, value in zip(HEADER_FIELDS, struct.unpack_from("<14I", data, 8)):
        print(name, value)
    print("size", len(data))


def corrupt(src, dst, edits):
    data = bytearray(open(src, "rb").read())
    for edit in edits:
        kind, arg = edit.split("=", 1)
        if kind == "truncate":
            del data[int(arg, 0):]
        elif kind == "append":
            data += bytes(int(arg, 0))
        elif kind == "byte":
            at, value = (int(x, 0) for x in arg.split(":"))
            data[at] = value
        elif kind == "u32":
            at, value = (int(x, 0) for x in arg.split(":"))
            struct.pack_into("<I", data, at, value)
        else:
            sys.exit("unknown edit " + edit)
    open(dst, "wb").write(bytes(data))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "header":
        header(sys.argv[2])
    elif command == "corrupt":
        corrupt(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif command == "absent":
        sys.exit(1 if os.path.exists(sys.argv[2]) else 0)
    else:
        sys.exit("unknown command " + command)
