#!/usr/bin/env python3
"""Writes one section-3 man page per function declared in the given C
headers, from the comment above each prototype: in include/liburing/decls.h
those are the Rust doc comments cbindgen carries over, so the Rust source
stays the one place a function is documented.

    gen-man.py [--version V] [-o DIR] HEADER...   writes DIR/man3/NAME.3
    gen-man.py --list HEADER...                   prints the function names

A page has NAME (the comment's first sentence), SYNOPSIS (the includes and
the prototype), DESCRIPTION (the whole comment; a "# Heading" in it, such as
"# Safety", becomes a subsection) and SEE ALSO (the functions the comment
mentions, and liburing-rs(7)). Standard library only.
"""

import argparse
import os
import re
import sys
import time

# The include line(s) a page shows, by header file name; headers not listed
# here are shown as <liburing/NAME>.
INCLUDES = {
    "decls.h": ["liburing.h"],
    "liburing.h": ["liburing.h"],
}
PROTO_WIDTH = 72  # the SYNOPSIS indent leaves this much of an 80-column page
C_WORDS = {"void", "int", "char", "short", "long", "unsigned", "signed",
           "const", "volatile", "float", "double", "bool", "struct", "union",
           "enum", "restrict"}


class Function:
    def __init__(self, name, proto, doc, header, defines):
        self.name, self.proto, self.doc, self.header = name, proto, doc, header
        self.defines = defines  # macros the declaration is conditional on


def code_part(line):
    """The code of a line without its comments, and whether a /* comment is
    left open at its end."""
    line = re.sub(r"/\*.*?\*/", " ", line).split("//", 1)[0]
    code, opened, _ = line.partition("/*")
    return code, bool(opened)


def condition(line, stack):
    """Follows #if/#ifdef/#else/#endif: `stack` holds, per open conditional,
    the macro a plain `#ifdef X` or `#if defined(X)` requires, else None."""
    m = re.match(r"#\s*(\w+)\s*(.*)", line)
    if not m:
        return
    word, rest = m.group(1), code_part(m.group(2))[0].strip()
    if word in ("if", "ifdef", "ifndef"):
        needs = re.fullmatch(r"defined\s*\(?\s*(\w+)\s*\)?", rest) if word == "if" else None
        stack.append(rest if word == "ifdef" else needs.group(1) if needs else None)
    elif word in ("elif", "else") and stack:
        stack[-1] = None
    elif word == "endif" and stack:
        stack.pop()


def parse_header(path):
    """Yields a Function for every prototype at file scope, with the comment
    block directly above it (no blank line between; a preprocessor
    conditional may sit between them). Struct, enum and typedef
    definitions, other preprocessor lines and extern "C" braces are
    skipped."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header = os.path.basename(path)
    doc, decl, depth, in_block, in_macro, conds = [], [], 0, False, False, []
    for raw in lines:
        line = raw.strip()
        at_top = depth == 0 and not decl  # between declarations
        if in_block:  # inside a /* ... */ comment
            text, closed, _ = line.partition("*/")
            if at_top:
                doc.append(re.sub(r"^\*( |$)", "", text.strip()).rstrip())
            in_block = not closed
            continue
        if in_macro:  # continuation of a #define
            in_macro = line.endswith("\\")
            continue
        if at_top:
            if line.startswith("//"):
                doc.append(re.sub(r"^// ?", "", line).rstrip())
                continue
            if line.startswith("/*"):
                text, closed, _ = line[2:].partition("*/")
                doc.append(text.strip())
                in_block = not closed
                continue
            if line.startswith("#"):
                condition(line, conds)
                in_macro = line.endswith("\\")
                if not re.match(r"#\s*(if|ifdef|elif|else|endif)\b", line):
                    doc = []
                continue
            if not line or re.match(r'extern\s+"C"\s*\{', line) or re.match(r"\}\s*(//.*|/\*.*)?$", line):
                doc = []
                continue
        code, in_block = code_part(raw)
        decl.append(code)
        depth += code.count("{") - code.count("}")
        if depth > 0 or ";" not in code:
            continue
        text = "\n".join(decl).strip()
        decl, this_doc, doc = [], doc, []
        if "{" in text or text.startswith("typedef"):
            continue  # a struct, enum or typedef, not a prototype
        # A name followed by its parameter list: not `int (*fp)(void);`.
        m = re.match(r"[\w\s*]*?[\s*](\w+)\s*\((?!\s*\*).*\)\s*;$", text, re.S)
        if m and m.group(1) not in C_WORDS:
            defines = [c for c in conds if c and c != "__cplusplus"]
            yield Function(m.group(1), text, trim(this_doc), header, defines)


def trim(doc):
    """Drops leading and trailing blank lines of a comment block."""
    while doc and not doc[0]:
        doc.pop(0)
    while doc and not doc[-1]:
        doc.pop()
    return doc


def split_params(proto, name):
    """(start, end) of each parameter name in the one-line prototype."""
    start = re.search(r"\b%s\s*\(" % re.escape(name), proto).end()
    spans, depth, seg = [], 0, start
    for i in range(start, len(proto)):
        c = proto[i]
        if c == "(":
            depth += 1
        elif c == ")" and depth > 0:
            depth -= 1
        elif c in ",)" and depth == 0:
            spans.append((seg, i))
            seg = i + 1
            if c == ")":
                break
    names = []
    for a, b in spans:
        part = proto[a:b]
        fp = re.search(r"\(\s*\*\s*(\w+)", part)  # a function pointer
        if fp:
            names.append((a + fp.start(1), a + fp.end(1)))
            continue
        words = list(re.finditer(r"[A-Za-z_]\w*", part))
        if len(words) >= 2 and words[-1].group() not in C_WORDS:
            names.append((a + words[-1].start(), a + words[-1].end()))
    return names


def esc(text):
    """Escapes text for troff: backslashes, and a minus before a word (as in
    -EINVAL or -errno) so it renders as a minus sign."""
    text = text.replace("\\", "\\e")
    return re.sub(r"(?<![\w-])-(?=[\w])", r"\\-", text)


def line_start(text):
    """Protects a text line that would otherwise read as a request."""
    return "\\&" + text if text[:1] in (".", "'") else text


def wrap_proto(proto, name):
    """The prototype on one line, or broken after commas with continuation
    lines aligned under the first parameter when it is too long. Returns
    [(text, is_param_name)] runs and the line breaks as "\n" runs."""
    flat = re.sub(r"\s+", " ", proto).replace("( ", "(").replace(" )", ")")
    params = split_params(flat, name)
    runs, pos = [], 0
    for a, b in params:
        runs += [(flat[pos:a], False), (flat[a:b], True)]
        pos = b
    runs.append((flat[pos:], False))
    if len(flat) <= PROTO_WIDTH:
        return runs
    indent = " " * (flat.index("(", flat.index(name)) + 1)
    out = []
    for text, is_name in runs:
        if is_name:
            out.append((text, True))
        else:
            out.append((text.replace(", ", ",\n" + indent), False))
    return out


def synopsis(fn):
    """The SYNOPSIS body: the macros the prototype depends on, includes, a
    blank line, the prototype in bold with parameter names in italics."""
    includes = INCLUDES.get(fn.header, ["liburing.h", "liburing/" + fn.header])
    out = [".nf"] + [".B #define %s" % d for d in fn.defines]
    out += [".B #include <%s>" % h for h in includes] + [".PP"]
    text = ""
    for run, is_name in wrap_proto(fn.proto, fn.name):
        font = "\\fI" if is_name else "\\fB"
        text += font + esc(run).replace("\n", "\n\\fB")
    out += [line_start(l) + "\\fR" for l in text.split("\n")]
    out.append(".fi")
    return out


class Inline:
    """Turns the markdown of a comment line into troff: `code` spans (a
    parameter of this function in italics, other code in bold), function
    names of this library and CONSTANT_NAMES in bold."""

    def __init__(self, params, functions):
        self.params = params
        names = sorted(functions, key=len, reverse=True)
        self.fn_re = re.compile(r"\b(%s)\b" % "|".join(map(re.escape, names))) if names else None
        self.mentioned = set()

    def plain(self, text):
        text = esc(text)
        def bold(m):
            return "\\fB%s\\fR" % m.group(1)
        if self.fn_re:
            for m in self.fn_re.finditer(text):
                self.mentioned.add(m.group(1))
            text = self.fn_re.sub(bold, text)
        return re.sub(r"(?<![\w\\])([A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9])\b", bold, text)

    def code(self, text):
        bare = text.lstrip("*&")
        if bare in self.params:
            lead = esc(text[: len(text) - len(bare)])
            return "%s\\fI%s\\fR" % (lead, esc(bare))
        if self.fn_re:
            for m in self.fn_re.finditer(text):
                self.mentioned.add(m.group(1))
        return "\\fB%s\\fR" % esc(text)

    def __call__(self, line):
        line = re.sub(r"\[(`[^`]+`)\]", r"\1", line)  # rustdoc links
        parts = re.split(r"`([^`]*)`", line)
        return "".join(self.code(p) if i % 2 else self.plain(p) for i, p in enumerate(parts))


def description(doc, inline):
    """The DESCRIPTION body: paragraphs, "- " lists, ``` blocks, and a
    subsection per "# Heading"."""
    out, para, in_code = [], False, False
    for line in doc:
        if line.startswith("```"):
            in_code = not in_code
            out += [".PP", ".RS", ".nf"] if in_code else [".fi", ".RE"]
            para = False
            continue
        if in_code:
            out.append(line_start(esc(line)))
            continue
        heading = re.match(r"#+\s+(.*)", line)
        if heading:
            out.append(".SS " + esc(heading.group(1)))
            para = True  # .SS starts a paragraph of its own
            continue
        if not line.strip():
            para = False
            continue
        item = re.match(r"\s*[-*]\s+(.*)", line)
        if item:
            out += [".IP \\(bu 2", line_start(inline(item.group(1)))]
            para = True
            continue
        if not para:
            if not (out and out[-1].startswith(".SS")):
                out.append(".PP")
            para = True
        out.append(line_start(inline(line.strip())))
    if in_code:
        out += [".fi", ".RE"]
    return out


def summary(fn):
    """The NAME line's text: the first sentence of the comment (up to a colon,
    semicolon or parenthesis if it is long), markdown removed, starting in
    lower case unless it starts with a name."""
    first = []  # the first paragraph
    for line in fn.doc:
        if not line.strip() or line.startswith(("#", "```")):
            break
        first.append(line)
    text = " ".join(" ".join(first).replace("`", "").split())
    if not text:
        return "undocumented"
    m = re.search(r"(?<!\.)(?<!e\.g)(?<!i\.e)\.(?=\s|$)", text)
    text = text[: m.start()] if m else text
    text = re.sub(r"^%s\(\d\):\s*" % re.escape(fn.name), "", text)
    if len(text) > 80:  # keep whatis lines short: drop a trailing clause
        cuts = [i for i in (text.find(": "), text.find("; "), text.find(" (")) if i >= 20]
        text = text[: min(cuts)] if cuts else text
    if re.match(r"[A-Z][a-z]+\b", text):
        text = text[0].lower() + text[1:]
    return esc(text)


def page(fn, functions, version):
    params = set()
    flat = re.sub(r"\s+", " ", fn.proto)
    for a, b in split_params(flat, fn.name):
        params.add(flat[a:b])
    inline = Inline(params, functions)
    body = description(fn.doc, inline) if fn.doc else [".PP", "Not documented yet."]
    see = sorted(inline.mentioned - {fn.name})
    refs = [".BR %s (3)," % n for n in see] + [".BR liburing\\-rs (7)"]
    date = ""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        date = time.strftime("%Y-%m-%d", time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"])))
    return "\n".join(
        ['.\\" Generated by tools/gen-man.py from the comments in <%s>: do not edit.' % fn.header,
         '.TH %s 3 "%s" "liburing\\-rs %s" "liburing-rs Manual"' % (fn.name, date, version),
         ".nh",  # names like io_uring_buf_ring_advance must not be hyphenated
         ".ad l",
         ".SH NAME",
         "%s \\- %s" % (esc(fn.name), summary(fn)),
         ".SH SYNOPSIS"] + synopsis(fn) + [".SH DESCRIPTION"] + body +
        [".SH SEE ALSO"] + refs) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("headers", nargs="+")
    ap.add_argument("-o", "--out", default="build/man")
    ap.add_argument("--version", default="")
    ap.add_argument("--list", action="store_true", help="print the function names only")
    args = ap.parse_args()
    functions = {}
    for h in args.headers:
        for fn in parse_header(h):
            functions.setdefault(fn.name, fn)
    if args.list:
        print("\n".join(sorted(functions)))
        return 0
    if not functions:
        print("gen-man: no prototypes found in %s" % " ".join(args.headers), file=sys.stderr)
        return 1
    man3 = os.path.join(args.out, "man3")
    os.makedirs(man3, exist_ok=True)
    for old in os.listdir(man3):  # pages of functions that are gone
        if old.endswith(".3") and old[:-2] not in functions:
            os.remove(os.path.join(man3, old))
    for name, fn in functions.items():
        text = page(fn, functions, args.version)
        path = os.path.join(man3, name + ".3")
        try:
            with open(path, encoding="utf-8") as f:
                if f.read() == text:
                    continue
        except OSError:
            pass
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
