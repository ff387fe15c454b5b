"""Import pruning: templates import what any file might need, the writer keeps what a file uses."""

from generator.writer import prune_imports


def test_unused_module_level_imports_are_dropped() -> None:
    source = "import json\nimport os\nfrom typing import Any, Dict\n\nx: Any = os.sep\n"
    assert prune_imports(source) == "import os\nfrom typing import Any\n\nx: Any = os.sep\n"


def test_type_checking_imports_are_pruned_and_the_block_stays_valid() -> None:
    source = (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import httpx\n    from . import models\n\n"
        "y: models.Job\n"
    )
    assert "httpx" not in prune_imports(source)
    assert "    from . import models" in prune_imports(source)
    emptied = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import httpx\n"
    compile(prune_imports(emptied), "<pruned>", "exec")
    assert "    pass" in prune_imports(emptied)


def test_names_used_only_in_string_annotations_are_kept() -> None:
    source = "from typing import Any\n\ndef f(x: 'Any') -> None: ...\n"
    assert prune_imports(source) == source
