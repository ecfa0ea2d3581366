#!/usr/bin/env python3
"""Writes a deterministic pseudo-JavaScript bundle shaped like a minified widget.

usage: make_widget.py BYTES > widget.js

It parses as JavaScript (strict mode), though it is never run. Not one repeated byte: identifiers, literals and statements are drawn from a seeded generator,
and most statements come from a shared pool the way real bundles repeat idioms, so gzip -9
compresses it about 3.5x (a real minified bundle compresses 3-5x).
"""
import random
import sys

SEED = 20240601
REUSE = 0.75  # share of statements taken from the pool; tunes the compression ratio

rng = random.Random(SEED)
WORDS = ("chat message widget session token shop order payment rating callback visitor operator "
         "thread render update state element button input panel badge status queue retry socket "
         "connect close open send receive timer locale theme color label title avatar history "
         "unread typing attach upload amount currency invoice refund notify config options").split()
PROPS = ("length push map filter forEach reduce indexOf slice join split replace trim then catch "
         "addEventListener removeEventListener appendChild setAttribute classList textContent "
         "innerHTML style dataset querySelector getBoundingClientRect postMessage stringify parse "
         "toFixed toLowerCase keys assign").split()
OPS = ["+", "-", "*", "===", "!==", "&&", "||", "<", ">=", "|", "&"]


def ident():
    r = rng.random()
    if r < 0.45:  # minifier-style short names
        name = rng.choice("abcdefghijklmnopqrstuvwxyz") + rng.choice(
            ["", "", "", str(rng.randrange(4)), rng.choice("ent$_")])
        return "i_" if name == "in" else name
    w = rng.choice(WORDS)
    return w if r < 0.8 else w + rng.choice(WORDS).capitalize()


def literal():
    r = rng.random()
    if r < 0.3:
        return str(rng.randrange(0, 1 << rng.choice([1, 4, 8, 12])))
    if r < 0.75:
        return '"' + "-".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 4))) + '"'
    if r < 0.97:
        return rng.choice(["!0", "!1", "null", "void 0", "[]", "{}"])
    return '"' + "".join(rng.choice("0123456789abcdef") for _ in range(rng.randrange(6, 20))) + '"'


def expr(d=0):
    r = rng.random()
    if d > 2 or r < 0.3:
        return rng.choice([ident, literal])()
    if r < 0.5:
        return expr(d + 1) + rng.choice(OPS) + expr(d + 1)
    if r < 0.7:
        args = ",".join(expr(d + 1) for _ in range(rng.randrange(0, 3)))
        return ident() + "." + rng.choice(PROPS) + "(" + args + ")"
    if r < 0.8:
        return expr(d + 1) + "?" + expr(d + 1) + ":" + expr(d + 1)
    if r < 0.9:
        return "{" + ",".join(rng.choice(WORDS) + ":" + expr(d + 1) for _ in range(rng.randrange(1, 4))) + "}"
    return ident() + "[" + expr(d + 1) + "]"


def stmt(d=0):
    r = rng.random()
    if d > 2 or r < 0.4:
        return rng.choice(["var ", ""]) + ident() + "=" + expr() + ";"
    if r < 0.6:
        return "if(" + expr() + "){" + "".join(stmt(d + 1) for _ in range(rng.randrange(1, 3))) + "}"
    if r < 0.75:
        i = ident()
        return "for(var " + i + "=0;" + i + "<(" + expr() + ").length;" + i + "++){" + stmt(d + 1) + "}"
    if r < 0.9:
        return "return " + expr() + ";"
    return "try{" + stmt(d + 1) + "}catch(e){console.error(" + literal() + ",e)}"


def main():
    target = int(sys.argv[1]) if len(sys.argv) > 1 else 100 * 1024
    pool = [stmt() for _ in range(400)]
    out = ['/*! vitrina widget (benchmark fixture) */\n!function(){"use strict";']
    size = len(out[0])
    n = 0
    while size < target:
        n += 1
        args = ",".join(dict.fromkeys(ident() for _ in range(rng.randrange(0, 4))))
        body = "".join(rng.choice(pool) if rng.random() < REUSE else stmt() for _ in range(rng.randrange(2, 7)))
        fn = "function " + ident() + str(n) + "(" + args + "){" + body + "}\n"
        out.append(fn)
        size += len(fn)
    out.append("}();\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
