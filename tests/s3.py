"""A local S3-compatible endpoint for tests: moto's server mode in its own process."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3

from marketplace.bench_tools import free_port, wait_for_port

REGION = "eu-central-1"
KEYS = {"S3_ACCESS_KEY_ID": "guildhall-test", "S3_SECRET_ACCESS_KEY": "guildhall-test-secret"}


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """Start `moto_server` on a free port; yield its endpoint URL; stop it."""
    port = free_port()
    binary = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(  # noqa: S603 - moto's own script from our virtualenv
        [str(binary), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"],
    )


def make_buckets(endpoint: str) -> tuple[str, str]:
    """A fresh public and private bucket (unique names, so tests never see each other's files)."""
    s3 = client(endpoint)
    suffix = uuid.uuid4().hex[:12]
    names = (f"media-{suffix}", f"private-{suffix}")
    for name in names:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return names


def keys(endpoint: str, bucket: str) -> list[str]:
    listed = client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def storage_env(endpoint: str, media: str, private: str) -> dict[str, str]:
    """The environment that puts a Guildhall process's media on this endpoint."""
    return {
        "MEDIA_STORAGE": "s3",
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": REGION,
        "S3_BUCKET": media,
        "S3_PRIVATE_BUCKET": private,
        **KEYS,
    }
