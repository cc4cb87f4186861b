"""A real Active Directory for integration tests: a Samba AD DC provisioned in a temp dir.

:func:`samba_dc` provisions the domain ``PLANT.TEST`` (NetBIOS ``PLANT``) with a strong
administrator password generated at runtime, gives it a TLS certificate issued for loopback
(``127.0.0.1``, ``::1``, ``localhost``) by a throw-away CA so clients can *validate* it,
starts ``samba -i`` as our own child process with only the LDAP service, on loopback only,
waits (bounded) until LDAPS on 636 accepts an administrator bind, creates the demo users and
the ``IRS-Admins`` group, and on exit stops samba by PID and removes the temp dir.

Samba binds the standard ports (389, 636, 3268, 3269): one DC at a time per machine. Nothing
here skips: a missing package, a busy port or a DC that does not come up is an error that
says what to do.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REALM = "PLANT.TEST"
DOMAIN = "PLANT"
UPN_SUFFIX = "plant.test"
BASE_DN = "DC=plant,DC=test"
HOST = "127.0.0.1"
LDAP_PORT = 389
LDAPS_PORT = 636
ADMIN_GROUP = "IRS-Admins"
# A fine-grained password policy that AD-locks its members after two bad passwords.
LOCKOUT_PSO = "irs-test-lockout"
LOCKOUT_PSO_THRESHOLD = 2
LOCKED_USER = "wu.locked"
APT_PACKAGES = "samba samba-ad-dc krb5-user winbind"
_PORTS = (LDAP_PORT, LDAPS_PORT, 3268, 3269)


class SambaUnavailable(RuntimeError):
    """The Samba AD DC cannot be provided on this machine (the message says why and what to do)."""


def strong_password() -> str:
    """A random password that satisfies AD's complexity rules (all four character classes)."""
    # a letter first: token_urlsafe may start with "-", which samba-tool takes for an option
    return f"p{secrets.token_urlsafe(14)}aZ7!"


@dataclass(frozen=True)
class AdUser:
    """A person in the test directory."""

    sam: str
    mail: str
    display_name: str
    department: str
    given_name: str
    surname: str
    groups: tuple[str, ...] = ()
    password: str = field(default_factory=strong_password, repr=False)

    @property
    def upn(self) -> str:
        return f"{self.sam}@{UPN_SUFFIX}"


def default_users() -> dict[str, AdUser]:
    """The people every AD test can rely on (fresh passwords each run)."""
    users = [
        AdUser("john.doe", "john.doe@plant.test", "張志豪", "設備課", "志豪", "張"),
        # mixed-case mail: the user id must still be the lower-case address
        AdUser("mary.chen", "Mary.Chen@plant.test", "陳美玲", "品管課", "美玲", "陳"),
        AdUser("lin.admin", "lin.admin@plant.test", "林建宏", "資訊課", "建宏", "林",
               groups=(ADMIN_GROUP,)),
        # AD locks this one after LOCKOUT_PSO_THRESHOLD bad passwords (fine-grained policy)
        AdUser(LOCKED_USER, "wu.locked@plant.test", "吳淑芬", "生管課", "淑芬", "吳"),
        # disabled / re-enabled by tests
        AdUser("huang.off", "huang.off@plant.test", "黃國華", "製造課", "國華", "黃"),
    ]
    return {u.sam: u for u in users}


@dataclass
class SambaDC:
    """A running Samba AD DC and what tests need to talk to it."""

    workdir: Path
    admin_password: str
    tls: TlsFiles
    users: dict[str, AdUser]
    process: subprocess.Popen[bytes] | None = None

    host: str = HOST
    realm: str = REALM
    domain: str = DOMAIN
    base_dn: str = BASE_DN
    upn_suffix: str = UPN_SUFFIX
    admin_group: str = ADMIN_GROUP

    @property
    def ca_file(self) -> str:
        """The CA to trust for the DC's LDAPS / StartTLS certificate."""
        return self.tls.ca

    @property
    def conf(self) -> Path:
        return self.workdir / "etc" / "smb.conf"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://{self.host}:{LDAPS_PORT}"

    @property
    def ldap_url(self) -> str:
        return f"ldap://{self.host}:{LDAP_PORT}"

    @property
    def log_file(self) -> Path:
        return self.workdir / "samba.out"

    # -- administration --------------------------------------------------------------------
    def tool(self, *args: str, timeout: float = 60) -> str:
        """Run ``samba-tool <args> -s <our smb.conf>``; raise with its output on failure."""
        return _run(["samba-tool", *args, "-s", str(self.conf)], timeout=timeout)

    def admin_connection(self):  # -> ldap3.Connection
        """An LDAPS connection bound as the domain Administrator (certificate validated)."""
        from ldap3 import SIMPLE, Connection, Server, Tls

        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=self.ca_file, version=ssl.PROTOCOL_TLS_CLIENT)
        server = Server(self.ldaps_url, use_ssl=True, tls=tls, connect_timeout=2, get_info=None)
        conn = Connection(server, user=f"Administrator@{self.upn_suffix}", password=self.admin_password,
                          authentication=SIMPLE, receive_timeout=5, raise_exceptions=True)
        conn.bind()
        return conn

    def _dn(self, conn, sam: str) -> str:  # conn: ldap3.Connection
        from ldap3.utils.conv import escape_filter_chars

        conn.search(self.base_dn, f"(&(objectClass=user)(sAMAccountName={escape_filter_chars(sam)}))",
                    attributes=["cn"])
        entries = [e for e in conn.response or [] if e.get("type") == "searchResEntry"]
        if len(entries) != 1:
            raise LookupError(f"no single AD user {sam!r}")
        return str(entries[0]["dn"])

    def read_user(self, sam: str, *attributes: str) -> dict[str, object]:
        """Attributes of a user, read as Administrator."""
        conn = self.admin_connection()
        try:
            conn.search(self._dn(conn, sam), "(objectClass=*)", search_scope="BASE",
                        attributes=list(attributes))
            return dict(conn.response[0]["attributes"])
        finally:
            conn.unbind()

    def modify_user(self, sam: str, **attributes: str) -> None:
        """Replace attributes of a user as Administrator."""
        from ldap3 import MODIFY_REPLACE

        conn = self.admin_connection()
        try:
            conn.modify(self._dn(conn, sam), {k: [(MODIFY_REPLACE, [v])] for k, v in attributes.items()})
        finally:
            conn.unbind()

    def create_user(self, user: AdUser) -> None:
        """``samba-tool user create`` plus what samba-tool cannot set (a displayName of our choice)."""
        self.tool("user", "create", user.sam, user.password, f"--given-name={user.given_name}",
                  f"--surname={user.surname}", f"--mail-address={user.mail}",
                  f"--department={user.department}")
        self.modify_user(user.sam, displayName=user.display_name)
        for group in user.groups:
            self.tool("group", "addmembers", group, user.sam)

    def disable_user(self, sam: str) -> None:
        self.tool("user", "disable", sam)

    def enable_user(self, sam: str) -> None:
        self.tool("user", "enable", sam)

    def unlock_user(self, sam: str) -> None:
        """Clear an AD lockout (lockoutTime = 0) as Administrator."""
        self.modify_user(sam, lockoutTime="0")

    def is_locked_out(self, sam: str) -> bool:
        """Whether AD itself holds a lockout on the account."""
        value = self.read_user(sam, "lockoutTime").get("lockoutTime")
        if isinstance(value, list):
            value = value[0] if value else None
        if value is None:
            return False
        if isinstance(value, _dt.datetime):
            return value.year > 1601
        return str(value) not in ("", "0")

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no samba output)"


# ---------------------------------------------------------------------------------- helpers
def _run(cmd: list[str], timeout: float = 60) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise SambaUnavailable(f"{cmd[0]} {cmd[1] if len(cmd) > 1 else ''} took over {timeout}s") from exc
    if done.returncode != 0:
        shown = " ".join(c if "!" not in c else "***" for c in cmd[:4])
        raise SambaUnavailable(f"`{shown} ...` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _port_open(port: int, host: str = HOST) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


def _preflight() -> None:
    missing = [tool for tool in ("samba", "samba-tool") if shutil.which(tool) is None]
    if missing:
        raise SambaUnavailable(
            f"Samba AD DC is not installed ({', '.join(missing)} not on PATH). Install it with: "
            f"apt-get install -y {APT_PACKAGES}")
    if os.geteuid() != 0:
        raise SambaUnavailable("Samba AD DC must run as root (it binds ports 389/636 and chowns its DB)")
    busy = [p for p in _PORTS if _port_open(p)]
    if busy:
        raise SambaUnavailable(
            f"127.0.0.1 port(s) {busy} already in use: another samba / LDAP server is running. "
            "Stop it (by its PID) first; only one DC can run per machine.")


@dataclass(frozen=True)
class TlsFiles:
    """PEM files of the test PKI."""

    ca: str  # the CA that issued the DC's certificate (what clients should trust)
    cert: str  # the DC's certificate: localhost, dc1.plant.test, 127.0.0.1, ::1
    key: str
    unrelated_ca: str  # a CA that issued nothing the DC presents
    other_name_cert: str  # issued by ``ca`` but for another host name only
    other_name_key: str


def _write_tls(directory: Path) -> TlsFiles:
    """A CA and certificates for loopback, written as PEM files (keys mode 0600)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    directory.mkdir(parents=True, exist_ok=True)
    now = _dt.datetime.now(_dt.UTC)

    def builder(subject: str, issuer: x509.Name | None, public_key: object) -> x509.CertificateBuilder:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
        return (x509.CertificateBuilder().subject_name(name).issuer_name(issuer or name)
                .public_key(public_key).serial_number(x509.random_serial_number())  # type: ignore[arg-type]
                .not_valid_before(now - _dt.timedelta(minutes=5))
                .not_valid_after(now + _dt.timedelta(days=2)))

    def make_ca(name: str) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = (builder(name, None, key.public_key())
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                             key_encipherment=False, data_encipherment=False,
                                             key_agreement=False, key_cert_sign=True, crl_sign=True,
                                             encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .sign(key, hashes.SHA256()))
        return cert, key

    def make_leaf(ca: tuple[x509.Certificate, rsa.RSAPrivateKey], names: list[x509.GeneralName],
                  cn: str) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = (builder(cn, ca[0].subject, key.public_key())
                .add_extension(x509.SubjectAlternativeName(names), critical=False)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca[1].public_key()),
                               critical=False)
                .sign(ca[1], hashes.SHA256()))
        return cert, key

    def write_cert(name: str, cert: x509.Certificate) -> str:
        path = directory / name
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return str(path)

    def write_key(name: str, key: rsa.RSAPrivateKey) -> str:
        path = directory / name
        # samba refuses a private key that others can read
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        return str(path)

    ca = make_ca("IRS test CA (Samba AD DC)")
    unrelated, _ = make_ca("IRS unrelated CA")
    dc_cert, dc_key = make_leaf(ca, [
        x509.DNSName("localhost"), x509.DNSName(f"dc1.{UPN_SUFFIX}"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.IPAddress(ipaddress.ip_address("::1")),
    ], "localhost")
    other_cert, other_key = make_leaf(ca, [x509.DNSName("other-dc.example")], "other-dc.example")
    return TlsFiles(
        ca=write_cert("ca.pem", ca[0]), cert=write_cert("cert.pem", dc_cert), key=write_key("key.pem", dc_key),
        unrelated_ca=write_cert("unrelated-ca.pem", unrelated),
        other_name_cert=write_cert("other-name.pem", other_cert),
        other_name_key=write_key("other-name-key.pem", other_key),
    )


def _provision(workdir: Path, admin_password: str, tls: TlsFiles) -> None:
    options = {
        "interfaces": "lo",
        "bind interfaces only": "yes",
        # only the LDAP server: no smbd/nbt/kdc/winbindd ports, quicker start
        "server services": "ldap",
        "tls enabled": "yes",
        "tls cafile": tls.ca,
        "tls certfile": tls.cert,
        "tls keyfile": tls.key,
        "log file": str(workdir / "log.%m"),
        "pid directory": str(workdir / "run"),
    }
    cmd = ["samba-tool", "domain", "provision", f"--realm={REALM}", f"--domain={DOMAIN}",
           f"--adminpass={admin_password}", "--server-role=dc", "--dns-backend=NONE",
           "--host-name=dc1", f"--targetdir={workdir}"]
    cmd += [f"--option={k}={v}" for k, v in options.items()]
    _run(cmd, timeout=120)


def _wait_ready(dc: SambaDC, timeout: float) -> None:
    """Until an administrator bind over validated LDAPS works (bounded), or samba died."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if not dc.running():
            raise SambaUnavailable(f"samba exited with {dc.process.returncode if dc.process else '?'} "
                                   f"during start-up:\n{dc.log_tail()}")
        if _port_open(LDAPS_PORT):
            try:
                dc.admin_connection().unbind()
                return
            except Exception as exc:  # noqa: BLE001 - retried until the deadline
                last = exc
        time.sleep(0.1)
    raise SambaUnavailable(f"Samba LDAPS on {HOST}:{LDAPS_PORT} not ready after {timeout}s "
                           f"(last error: {last!r}):\n{dc.log_tail()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop samba by the PID we started (then its own process group, which only it leads)."""
    if process.poll() is None:
        try:
            if process.stdin:
                process.stdin.close()  # `samba -i` ends on EOF on stdin
        except OSError:
            pass
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    # prefork workers of this samba (same process group, created for it by start_new_session)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_port_open(p) for p in (LDAP_PORT, LDAPS_PORT)):
        time.sleep(0.1)


@contextmanager
def samba_dc(start_timeout: float = 30.0, users: dict[str, AdUser] | None = None) -> Iterator[SambaDC]:
    """Provision, start and populate a Samba AD DC; stop it and delete everything on exit."""
    _preflight()
    workdir = Path(tempfile.mkdtemp(prefix="samba-ad-"))
    dc: SambaDC | None = None
    log = None
    try:
        tls = _write_tls(workdir / "tls")
        admin_password = strong_password()
        _provision(workdir, admin_password, tls)
        dc = SambaDC(workdir=workdir, admin_password=admin_password, tls=tls,
                     users=dict(users if users is not None else default_users()))
        (workdir / "run").mkdir(exist_ok=True)
        log = open(dc.log_file, "wb")  # closed in finally
        dc.process = subprocess.Popen(
            ["samba", "-i", "-s", str(dc.conf), "--debuglevel=1"],
            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, cwd=workdir,
            start_new_session=True,
        )
        _wait_ready(dc, start_timeout)
        dc.tool("group", "add", ADMIN_GROUP)
        dc.tool("domain", "passwordsettings", "pso", "create", LOCKOUT_PSO, "1",
                f"--account-lockout-threshold={LOCKOUT_PSO_THRESHOLD}",
                "--account-lockout-duration=30", "--reset-account-lockout-after=30")
        for user in dc.users.values():
            dc.create_user(user)
        if LOCKED_USER in dc.users:
            dc.tool("domain", "passwordsettings", "pso", "apply", LOCKOUT_PSO, LOCKED_USER)
        yield dc
    finally:
        if dc is not None and dc.process is not None:
            _stop(dc.process)
        if log is not None:
            log.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":  # manual check: python -m tests.servers.samba
    started = time.monotonic()
    with samba_dc() as running:
        print(f"ready in {time.monotonic() - started:.1f}s at {running.ldaps_url} ({running.workdir})")
        for person in running.users.values():
            print(person.sam, running.read_user(person.sam, "displayName", "mail", "department", "memberOf"))
    print(f"stopped after {time.monotonic() - started:.1f}s")
