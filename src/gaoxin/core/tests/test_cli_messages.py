"""The command line speaks Chinese and fails like a tool: one Chinese line on stderr,
a non-zero exit code, no Python traceback and no Python exception text."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

GAOXIN = Path(sys.executable).with_name("gaoxin")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def gaoxin(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env["GAOXIN_DATA_DIR"] = str(tmp_path)

    def run(*args):
        return subprocess.run(
            [str(GAOXIN), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )

    return run


def assert_clean_failure(result, *expected: str):
    assert result.returncode != 0
    for text in expected:
        assert text in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr, result.stderr


def test_help_is_chinese(gaoxin):
    out = gaoxin("help").stdout
    assert "高新园区运营平台命令行" in out and "从备份恢复" in out
    assert "migrate, load the demo" not in out
    sub = gaoxin("restore", "--help").stdout
    assert (
        "用法：gaoxin restore" in sub and "显示本帮助并退出" in sub and "不再确认，直接替换" in sub
    )
    assert "usage:" not in sub and "show this help" not in sub and "Verbosity level" not in sub


def test_a_bad_backup_file_is_refused_in_chinese(gaoxin, tmp_path):
    bad = tmp_path / "not-a-backup.gz"
    bad.write_bytes(b"nah, just text")
    result = gaoxin("restore", str(bad), "--yes")
    assert_clean_failure(result, "不是有效的 gaoxin 备份文件")
    assert "gzip" not in result.stderr and "b'na'" not in result.stderr
    assert "CommandError" not in result.stderr


def test_usage_mistakes_and_unknown_commands_are_chinese(gaoxin):
    missing = gaoxin("restore")
    assert missing.returncode == 2
    assert "缺少参数：file" in missing.stderr and "required" not in missing.stderr
    assert_clean_failure(gaoxin("up", "--port", "abc"), "参数 --port 应为整数")
    assert_clean_failure(gaoxin("nosuch"), "未知命令：nosuch")


def test_a_backup_of_an_empty_data_dir_is_refused_in_chinese(gaoxin, tmp_path):
    result = gaoxin("backup", str(tmp_path / "x.backup"))  # no tables yet
    assert_clean_failure(result, "备份失败：无法读取数据库")
    assert "Unable to serialize" not in result.stderr


@pytest.mark.django_db(transaction=True)
def test_an_unexpected_failure_is_chinese_not_a_traceback(tmp_path, capsys):
    from gaoxin.cli import run

    target = tmp_path / "a-directory"
    target.mkdir()
    assert run(["gaoxin", "backup", str(target)]) == 1  # the backup cannot replace a directory
    err = capsys.readouterr().err
    assert "文件读写失败" in err and "--traceback" in err
    assert "Traceback" not in err and "IsADirectoryError" not in err and "Errno" not in err
