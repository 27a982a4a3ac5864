"""The Word template: it uses only what the context gives, it is what make_template.py
builds, and it holds the named styles a user restyles."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from docxtpl import DocxTemplate
from jinja2 import Environment, meta, nodes

from perfxl.core.model import Evaluation
from perfxl.report import make_template
from perfxl.report.context import build_context
from perfxl.report.render import ANNEX_STYLES, TEMPLATE


def _template_ast():
    tpl = DocxTemplate(str(TEMPLATE))
    tpl.init_docx()
    # docxtpl's own clean-up (tags split over runs, {%p %} …) turns the XML into Jinja
    source = tpl.patch_xml(tpl.get_xml())
    return Environment().parse(source)


def _chains(ast):
    """Every ``name.attr[0]…`` the template reads, outermost expressions only, as
    (name, [keys]) — loop variables are left out (their items are checked by rendering)."""
    loop_vars = {n.name for f in ast.find_all(nodes.For) for n in f.target.find_all(nodes.Name)}
    found = []

    def walk(node):
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            keys, inner = [], node
            while isinstance(inner, (nodes.Getattr, nodes.Getitem)):
                if isinstance(inner, nodes.Getattr):
                    keys.append(inner.attr)
                elif isinstance(inner.arg, nodes.Const):
                    keys.append(inner.arg.value)
                else:
                    keys.append(None)
                inner = inner.node
            if isinstance(inner, nodes.Name) and inner.name not in loop_vars:
                found.append((inner.name, list(reversed(keys))))
            return
        for child in node.iter_child_nodes():
            walk(child)

    walk(ast)
    return found


@pytest.fixture(params=["example", "empty"])
def context(request, example_context):
    return example_context if request.param == "example" else build_context(Evaluation())


def test_template_uses_only_variables_the_context_has(context):
    ast = _template_ast()
    names = meta.find_undeclared_variables(ast)
    assert names <= set(context), f"the template uses {sorted(names - set(context))}, which the context lacks"
    for name, keys in _chains(ast):
        value = context[name]
        for key in keys:
            if key is None:
                break
            if isinstance(value, dict):
                assert key in value, f"{name}.{key} is not in the context"
            else:
                assert isinstance(value, list) and isinstance(key, int) and key < len(value), f"{name}[{key}]"
            value = value[key]


def test_template_is_what_make_template_builds(tmp_path):
    built = make_template.build(tmp_path / "report.docx")
    with zipfile.ZipFile(TEMPLATE) as committed, zipfile.ZipFile(built) as fresh:
        names = sorted(n for n in fresh.namelist() if n.startswith("word/"))
        assert sorted(n for n in committed.namelist() if n.startswith("word/")) == names
        stale = [n for n in names if committed.read(n) != fresh.read(n)]
    assert stale == [], "templates/report.docx is stale: run python -m perfxl.report.make_template"


def test_template_has_the_named_styles():
    styles = {s.name for s in Document(str(TEMPLATE)).styles}
    for name in ("Title", "Normal", "一级标题", "二级标题", "封面标题", "封面文字", "Footer", *ANNEX_STYLES):
        assert name in styles, name


def test_template_declares_font_fallbacks():
    with zipfile.ZipFile(TEMPLATE) as z:
        fonts = z.read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
