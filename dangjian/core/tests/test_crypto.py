"""The field encryption's algorithms (Fernet, 国密 SM4-GCM with HMAC-SM3), their standard test
vectors, reading values of either algorithm and of old keys, and `manage.py rotate_field_keys`."""

import datetime
import io

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from dangjian.core import crypto
from dangjian.core.testing.codes import make_id_number
from dangjian.members import services as member_services
from dangjian.members.models import Member
from dangjian.testing.factories import make_member

SM4_KEY = "0123456789abcdeffedcba9876543210"
SM4_KEY_2 = "00112233445566778899aabbccddeeff"
FERNET_KEY = Fernet.generate_key().decode()
ID_NUMBER = make_id_number(datetime.date(1985, 11, 3), 41, "女")


@pytest.fixture
def fernet(settings):
    settings.FIELD_CIPHER = "fernet"
    settings.FIELD_ENCRYPTION_KEYS = [FERNET_KEY]
    settings.FIELD_HASH_KEY = "hash-key-one"


@pytest.fixture
def sm4(settings):
    settings.FIELD_CIPHER = "sm4"
    settings.FIELD_SM4_KEYS = [SM4_KEY]
    settings.FIELD_ENCRYPTION_KEYS = [FERNET_KEY]
    settings.FIELD_HASH_KEY = "hash-key-one"


# -- the standard vectors ------------------------------------------------------------------------


def test_sm4_known_answer_of_gb_t_32907():
    """GB/T 32907-2016 附录 A, 示例 1: one block under the key 0123…3210."""
    key = bytes.fromhex(SM4_KEY)
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    assert (encryptor.update(key) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm3_known_answers_of_gb_t_32905():
    """GB/T 32905-2016 附录 A: "abc" and "abcd" repeated 16 times."""

    def sm3(data):
        digest = hashes.Hash(hashes.SM3())
        digest.update(data)
        return digest.finalize().hex()

    assert sm3(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_the_keyed_hash_under_sm4_is_hmac_sm3(sm4):
    """HMAC (RFC 2104) over SM3 built by hand from the standard's hash, compared with ours."""

    def sm3(data):
        digest = hashes.Hash(hashes.SM3())
        digest.update(data)
        return digest.finalize()

    key = b"hash-key-one".ljust(64, b"\0")
    inner = sm3(bytes(k ^ 0x36 for k in key) + b"13891234567")
    assert crypto.keyed_hash("13891234567") == sm3(bytes(k ^ 0x5C for k in key) + inner).hex()


# -- encrypting and reading ----------------------------------------------------------------------


def test_sm4_round_trip_names_the_algorithm_and_key(sm4):
    token = crypto.encrypt("赵敏 13891234567")
    assert token.startswith(f"sm4:{crypto.current_prefix().split(':')[1]}:")
    assert "13891234567" not in token
    assert crypto.decrypt(token) == "赵敏 13891234567"
    assert crypto.encrypt("同一值") != crypto.encrypt("同一值")  # a fresh nonce each time


def test_a_changed_sm4_ciphertext_is_refused_in_chinese(sm4):
    token = crypto.encrypt("13891234567")
    head, body = token.rsplit(":", 1)
    tampered = head + ":" + ("A" if body[5] != "A" else "B").join([body[:5], body[6:]])
    with pytest.raises(ValueError, match="无法解密：密钥不匹配"):
        crypto.decrypt(tampered)


def test_fernet_values_carry_their_prefix_and_bare_old_tokens_are_still_read(fernet):
    token = crypto.encrypt("13891234567")
    assert token.startswith("fernet:")
    assert crypto.decrypt(token) == "13891234567"
    bare = Fernet(FERNET_KEY).encrypt(b"13700000000").decode()  # written before the prefixes
    assert crypto.decrypt(bare) == "13700000000"


def test_old_fernet_values_are_read_after_switching_to_sm4(settings, fernet):
    old = crypto.encrypt("13891234567")
    settings.FIELD_CIPHER, settings.FIELD_SM4_KEYS = "sm4", [SM4_KEY]
    assert crypto.encrypt("x").startswith("sm4:")
    assert crypto.decrypt(old) == "13891234567"


def test_values_of_an_old_sm4_key_are_read_while_it_is_listed(settings, sm4):
    old = crypto.encrypt("13891234567")
    settings.FIELD_SM4_KEYS = [SM4_KEY_2, SM4_KEY]
    assert not crypto.encrypt("x").startswith(old[:13])
    assert crypto.decrypt(old) == "13891234567"
    settings.FIELD_SM4_KEYS = [SM4_KEY_2]
    with pytest.raises(ValueError, match="无法解密"):
        crypto.decrypt(old)


def test_an_sm4_key_that_is_not_128_bits_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.FIELD_CIPHER, settings.FIELD_SM4_KEYS = "sm4", ["0123"]
    with pytest.raises(ImproperlyConfigured, match="32 位十六进制"):
        crypto.encrypt("x")


# -- rotation ------------------------------------------------------------------------------------


def raw(member):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_hash, phone_hash FROM members_member WHERE id = %s",
            [member.pk],
        )
        return cursor.fetchone()


def rotate(*args):
    out = io.StringIO()
    call_command("rotate_field_keys", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def members(zone, fernet):
    people = [make_member(zone.branch_a1, phone=f"1389123456{i}") for i in range(5)]
    people.append(make_member(zone.branch_a1, sex="女", id_number=ID_NUMBER, phone=""))
    return people


def test_rotation_to_sm4_reencrypts_every_row_and_recomputes_the_hashes(settings, members):
    before = {m.pk: raw(m) for m in members}
    settings.FIELD_CIPHER, settings.FIELD_SM4_KEYS = "sm4", [SM4_KEY]
    settings.FIELD_HASH_KEY = "hash-key-two"
    out = rotate("--batch-size", "2")
    prefix = crypto.current_prefix()
    for m in members:
        id_number, phone, id_hash, phone_hash = raw(m)
        assert id_number.startswith(prefix) and id_number != before[m.pk][0]
        assert phone.startswith(prefix) if m.phone else phone == ""
        assert id_hash == crypto.keyed_hash(m.id_number) != before[m.pk][2]
        assert phone_hash == (crypto.keyed_hash(m.phone) if m.phone else "")
        stored = Member.objects.get(pk=m.pk)
        assert (stored.id_number, stored.phone) == (m.id_number, m.phone)
    # look-ups by the keyed hash find the rows under the new key and algorithm
    assert member_services.find_by_id_number(ID_NUMBER) == members[-1]
    assert Member.objects.get(phone_hash=crypto.keyed_hash("13891234562")) == members[2]
    assert "党员：共 6 条，重新加密 6 条，重算摘要 6 条" in out
    assert "密钥轮换完成" in out


def test_a_second_rotation_changes_nothing_so_an_interrupted_one_is_run_again(settings, members):
    settings.FIELD_CIPHER, settings.FIELD_SM4_KEYS = "sm4", [SM4_KEY]
    rotate()
    after = {m.pk: raw(m) for m in members}
    assert "党员：共 6 条，重新加密 0 条，重算摘要 0 条" in rotate()
    assert {m.pk: raw(m) for m in members} == after


def test_a_rotation_with_only_a_new_fernet_key_keeps_the_hashes(settings, members):
    hashes_before = {m.pk: raw(m)[2:] for m in members}
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, FERNET_KEY]
    out = rotate()
    assert "重新加密 6 条，重算摘要 0 条" in out
    for m in members:
        assert raw(m)[0].startswith(crypto.current_prefix())
        assert raw(m)[2:] == hashes_before[m.pk]
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key can now be dropped
    assert Member.objects.get(pk=members[0].pk).phone == members[0].phone


def test_a_rotation_without_the_old_key_stops_in_chinese_and_changes_nothing(settings, members):
    before = {m.pk: raw(m) for m in members}
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="旧密钥"):
        rotate()
    assert {m.pk: raw(m) for m in members} == before


def test_the_rotation_is_audited(settings, members):
    from dangjian.audit.models import AuditEntry

    settings.FIELD_CIPHER, settings.FIELD_SM4_KEYS = "sm4", [SM4_KEY]
    rotate()
    assert AuditEntry.objects.filter(message__startswith="轮换个人信息加密密钥：").exists()


def test_a_value_written_before_the_prefixes_is_rotated_too(members):
    member = members[0]
    bare = Fernet(FERNET_KEY).encrypt(member.phone.encode()).decode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE members_member SET phone = %s WHERE id = %s", [bare, member.pk])
    out = rotate()
    assert "重新加密 1 条，重算摘要 0 条" in out
    assert raw(member)[1].startswith(crypto.current_prefix())
    assert Member.objects.get(pk=member.pk).phone == member.phone
