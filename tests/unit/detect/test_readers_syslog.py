"""Syslog: Sigma's linux services (and the extra ones a line belongs to), _raw, auth fields."""

from __future__ import annotations

import io

import pytest

from shieldwall.detect.events import RAW_FIELD, LogSource
from shieldwall.detect.readers import ReadReport
from shieldwall.detect.readers.syslog import is_auth_file, logsource_for, read_syslog

LINES = [
    b"Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 "
    b"euid=0 tty=NODEVssh ruser= rhost=218.188.2.4  user=root",
    b"Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): authentication failure; "
    b"logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186",
    b"Mar  3 10:16:00 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=#-1 ; "
    b"COMMAND=/bin/bash",
    b"Mar  3 10:17:00 web1 crontab[4242]: (root) REPLACE (root)",
    b"Mar  3 10:18:00 web1 CRON[77]: (root) CMD (run-parts /etc/cron.hourly)",
    b"Mar  3 10:19:00 web1 named[11]: client 1.2.3.4#53: denied AXFR from 1.2.3.4",
    b"Mar  3 10:20:00 web1 useradd[1337]: new user: name=butter, UID=0, GID=0, home=/root",
    b"Mar  3 10:21:00 web1 su(pam_unix)[21416]: session opened for user cyrus by (uid=0)",
]


def _events(data: bytes, name: str = "syslog") -> list:  # type: ignore[type-arg]
    return list(read_syslog(io.BytesIO(data), name=name, report=ReadReport(), year=2024))


def test_services_and_the_extra_services_each_line_belongs_to() -> None:
    events = _events(b"\n".join(LINES))
    got = [(e.logsource.service, e.logsource.extra_services) for e in events]
    assert got == [
        ("sshd", ("syslog", "auth")),
        ("sshd", ("syslog", "auth")),
        ("sudo", ("syslog", "auth")),
        ("cron", ("syslog",)),
        ("cron", ("syslog",)),
        ("syslog", ()),
        ("auth", ("syslog",)),
        ("su", ("syslog", "auth")),
    ]
    assert all(e.logsource.product == "linux" for e in events)


def test_the_whole_line_is_kept_for_keyword_rules() -> None:
    events = _events(b"\n".join(LINES) + b"\r\n")
    assert [e.fields[RAW_FIELD].encode() for e in events] == LINES


def test_sudo_fields_also_as_sudo_writes_them() -> None:
    sudo = _events(LINES[2])[0]
    assert sudo.fields["USER"] == "#-1"  # CVE-2019-14287's rule matches USER
    assert sudo.fields["COMMAND"] == "/bin/bash"
    assert sudo.fields["TTY"] == "pts/0"
    assert sudo.fields["PWD"] == "/home/alice"
    assert sudo.fields["user"] == "alice"
    assert sudo.fields["target_user"] == "#-1"


def test_pam_fields_in_both_forms() -> None:
    old, new = _events(b"\n".join(LINES[:2]))
    assert old.fields["pam_service"] == "sshd"
    assert old.fields["pam_message"] == "authentication failure"
    assert old.fields["pam_rhost"] == "218.188.2.4"
    assert old.fields["pam_user"] == "root"
    assert old.fields["outcome"] == "failure"
    assert new.fields["pam_service"] == "sshd"
    assert new.fields["pam_rhost"] == "173.234.31.186"
    assert new.fields["pam_kind"] == "auth"
    session = _events(LINES[7])[0]
    assert session.fields["pam_user"] == "cyrus"
    assert session.fields["action"] == "session_opened"


def test_every_line_of_an_auth_log_is_auth() -> None:
    named = _events(LINES[5], name="/var/log/auth.log.1")[0]
    assert named.logsource.service == "auth"
    assert named.logsource.extra_services == ("syslog",)
    assert is_auth_file("/var/log/secure-20240101")
    assert is_auth_file("logs.zip", "var/log/auth.log")
    assert not is_auth_file("/var/log/authors.txt")
    assert not is_auth_file("/var/log/syslog")


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"product": "linux"}, True),
        ({"product": "linux", "service": "sshd"}, True),
        ({"product": "linux", "service": "auth"}, True),
        ({"product": "linux", "service": "syslog"}, True),
        ({"product": "linux", "service": "SSHD"}, True),
        ({"product": "linux", "service": "sudo"}, False),
        ({"product": "windows"}, False),
        ({"category": "process_creation", "product": "linux"}, False),
        ({}, True),
    ],
)
def test_logsource_matches_a_rules_logsource(rule: dict[str, str], expected: bool) -> None:
    sshd = logsource_for("sshd", "Accepted password for bob")
    assert sshd.matches(**rule) is expected


def test_logsources_are_shared_values() -> None:
    assert logsource_for("sshd", "") is logsource_for("sshd", "x")
    assert logsource_for("vsftpd", "") == LogSource(
        product="linux", service="vsftpd", extra_services=("syslog",)
    )
    assert logsource_for("clamd", "").service == "clamav"
    assert logsource_for("guacd", "").service == "guacamole"
