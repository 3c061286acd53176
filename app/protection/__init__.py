"""Encryption at rest: the data key, its wrapping by the password and the recovery code, the
encrypted SQLite connections (SQLCipher), and turning a plaintext file into an encrypted one.

Only `sqlite.py` imports `sqlcipher3`, and only for an encrypted file: a plaintext start and the
password prompt never load it.
"""
