"""繁體中文 (zh-TW): the docstrings of each workspace file, one module per file (`init --lang zh-TW`).

Terms follow the course's zh-TW glossary (梯度, 反向傳播, 連鎖律, 損失函數…); formulas, shapes, code
and the `check` commands are the English docstrings' own, character for character
(tests/test_course_translations.py compares them).
"""
