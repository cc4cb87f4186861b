"""Generate a Web Push (VAPID) key pair for a deployment.

    python -m infrastructure.vapid_keys --stage prod

prints the public key (the stack's ``VapidPublicKey`` parameter) and the ``aws ssm put-parameter``
command that stores the private key as the SecureString the outbound function reads. The private
key goes to your terminal only; keep one pair per stage (browsers' subscriptions are bound to it).
"""

from __future__ import annotations

import argparse
import base64
import shlex

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def generate() -> tuple[str, str]:
    """``(public, private)``: the uncompressed P-256 point and the PKCS#8 DER key, base64url."""
    key = ec.generate_private_key(ec.SECP256R1())

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    private = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return b64(public), b64(private)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--stage", default="prod")
    stage = parser.parse_args().stage
    public, private = generate()
    print(f"VapidPublicKey={public}")
    print("aws ssm put-parameter --type SecureString --name "
          f"/incident-response/{shlex.quote(stage)}/vapid-private-key --value {shlex.quote(private)}")


if __name__ == "__main__":
    main()
