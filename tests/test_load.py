"""The loader keeps what was written and refuses what a ledger has no use for, without hanging."""

from generator.core.load import MAX_BYTES, Map, Num, load_file, load_text


def codes(loaded):
    return [(i.line, i.code) for i in loaded.issues]


def test_scalars_keep_the_text_written():
    tree = load_text("x.yaml", "a: 0012\nb: 911411000000000171\nc: 380000.10\nd: '7'\n"
                                "e: 2021-12-31\nf: true\ng: 是\nh:\n").tree
    assert tree["a"] == "0012" and isinstance(tree["a"], Num)
    assert tree["b"] == "911411000000000171"
    assert tree["c"] == "380000.10"
    assert tree["d"] == "7" and not isinstance(tree["d"], Num)
    assert tree["e"] == "2021-12-31"
    assert tree["f"] is True and tree["g"] == "是" and tree["h"] is None


def test_remembered_tags_are_those_pyyaml_resolves():
    """The loader remembers a plain scalar's implicit tag by its text (load._Composer): the
    same text quoted, in a key, or seen again in another file must come out as PyYAML reads it."""
    import yaml

    text = ("0012: 0012\nx: '0012'\ny: [0012, '0012', true, 'true', ~, 1e3, 2021-02-30, .inf, 0x1F]\n"
            "z: {true: 0012, n: null}\n")
    for _ in range(2):  # the second time every plain text is remembered
        tree = load_text("x.yaml", text).tree
        assert tree["0012"] == "0012" and isinstance(tree["0012"], Num)
        assert tree["x"] == "0012" and not isinstance(tree["x"], Num)
        assert [type(v).__name__ for v in tree["y"]] == ["Num", "str", "bool", "str", "NoneType", "str", "str",
                                                         "Num", "Num"]
        assert tree["z"] == {"true": "0012", "n": None}
    composed = yaml.compose(text, Loader=yaml.CSafeLoader)

    def tags(node):
        if isinstance(node, yaml.ScalarNode):
            return [node.tag]
        pairs = node.value if isinstance(node, yaml.MappingNode) else [(child,) for child in node.value]
        return [tag for pair in pairs for child in pair for tag in tags(child)]

    from generator.core.load import _Composer

    assert tags(yaml.compose(text, Loader=_Composer)) == tags(composed)


def test_positions_of_keys_and_values():
    tree = load_text("x.yaml", "items:\n  - id: A1\n    amount:   5.00\n").tree
    item = tree["items"][0]
    assert isinstance(item, Map)
    assert item.keys_at["amount"] == (3, 5)
    assert item.values_at["amount"] == (3, 15)
    assert tree["items"].items_at[0] == (2, 5)


def test_bom_and_crlf_are_accepted():
    loaded = load_file("x.yaml", "\ufeffunit: a\r\nas_of: 2022-06-30\r\n".encode())
    assert loaded.issues == [] and loaded.tree["unit"] == "a"
    assert loaded.tree.values_at["as_of"] == (2, 8)


def test_gbk_file_is_named_as_such():
    loaded = load_file("x.yaml", "unit: a\nname: 示例市交通运输局\n".encode("gbk"))
    assert codes(loaded) == [(2, "E101")]
    assert "GBK" in loaded.issues[0].message and "UTF-8" in loaded.issues[0].message


def test_oversized_file_is_refused_before_parsing():
    loaded = load_file("x.yaml", b"a: 1\n" + b"#" * MAX_BYTES)
    assert codes(loaded) == [(1, "E102")]


def test_alias_bomb_fails_fast():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join(['*a' + str(i - 1)] * 9)}]" for i in range(1, 12)]
    loaded = load_text("x.yaml", "\n".join(lines) + "\n")
    assert codes(loaded) == [(1, "E106")]


def test_bracket_bomb_does_not_crash_the_parser():
    # Composed directly, this overflows the C stack of PyYAML's composer.
    loaded = load_text("x.yaml", "a: " + "[" * 200_000 + "]" * 200_000 + "\n")
    assert codes(loaded) == [(1, "E107")]


def test_deep_block_nesting_is_refused():
    text = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(60)) + " " * 120 + "v: 1\n"
    assert [c for _, c in codes(load_text("x.yaml", text))] == ["E107"]


def test_brackets_in_text_do_not_trip_the_depth_check():
    loaded = load_text("x.yaml", 'notes: "' + "[" * 100 + '"\n')
    assert loaded.issues == [] and loaded.tree["notes"] == "[" * 100


def test_tabs_and_invisible_characters_point_at_their_place():
    assert codes(load_text("x.yaml", "a: 1\nb:\t2\n")) == [(2, "E104")]
    loaded = load_text("x.yaml", "a: 1\nid: A\u200b001\n")
    assert codes(loaded) == [(2, "E108")]
    assert loaded.issues[0].col == 6


def test_duplicate_keys_name_the_first_line():
    loaded = load_text("x.yaml", "a: 1\nb: 2\na: 3\n")
    assert codes(loaded) == [(3, "E105")]
    assert "第 1 行" in loaded.issues[0].message


def test_syntax_error_is_chinese_with_position():
    loaded = load_text("x.yaml", "items:\n  - id: A1\n    amount 5\n  - id: A2\n")
    assert [c for _, c in codes(loaded)] == ["E103"]
    assert loaded.issues[0].line in (3, 4)


def test_custom_tags_are_refused():
    loaded = load_text("x.yaml", "a: !!python/object:os.system ls\n")
    assert [c for _, c in codes(loaded)] == ["E103"]
