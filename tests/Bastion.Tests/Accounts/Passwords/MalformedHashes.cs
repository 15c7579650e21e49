namespace Bastion.Tests.Accounts.Passwords;

/// <summary>Stored hash values that no scheme may accept, nor throw on.</summary>
public static class MalformedHashes
{
    public static TheoryData<string> All => new()
    {
        "",
        " ",
        "password",
        "$",
        "$argon2id$",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ",
        "$argon2id$v=19$m=x,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPP\u00e9",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ\0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$" + new string('A', 5000),
        "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA",
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
        "$pbkdf2-sha512$",
        "$pbkdf2-sha512$i=1000$c2FsdHNhbHRzYWx0c2FsdA==",
        "$pbkdf2-sha512$i=abc$c2FsdHNhbHRzYWx0c2FsdA==$8qClYKxlULHDF8zXC8KmKVgiSDk+FFIZyv1an/LVJyLGp02z+QdohMZ2Hlj4It6ZOnwZ9mDBFsX4CK2Hd+QChQ==",
        "$pbkdf2-sha512$i=-1000$c2FsdHNhbHRzYWx0c2FsdA==$8qClYKxlULHDF8zXC8KmKVgiSDk+FFIZyv1an/LVJyLGp02z+QdohMZ2Hlj4It6ZOnwZ9mDBFsX4CK2Hd+QChQ==",
        "$pbkdf2-sha512$i=0$c2FsdHNhbHRzYWx0c2FsdA==$8qClYKxlULHDF8zXC8KmKVgiSDk+FFIZyv1an/LVJyLGp02z+QdohMZ2Hlj4It6ZOnwZ9mDBFsX4CK2Hd+QChQ==",
        "$pbkdf2-sha512$i=99999999999$c2FsdHNhbHRzYWx0c2FsdA==$8qClYKxlULHDF8zXC8KmKVgiSDk+FFIZyv1an/LVJyLGp02z+QdohMZ2Hlj4It6ZOnwZ9mDBFsX4CK2Hd+QChQ==",
        "$pbkdf2-sha512$i=1000$not base64!$8qClYKxlULHDF8zXC8KmKVgiSDk+FFIZyv1an/LVJyLGp02z+QdohMZ2Hlj4It6ZOnwZ9mDBFsX4CK2Hd+QChQ==",
        "$pbkdf2-sha512$i=1000$c2FsdA==$8qClYKxlULHDF8zXC8KmKVgiSDk+FFIZyv1an/LVJyLGp02z+QdohMZ2Hlj4It6ZOnwZ9mDBFsX4CK2Hd+QChQ==",
        "$pbkdf2-sha512$i=1000$c2FsdHNhbHRzYWx0c2FsdA==$8qClYKxlULHDF8zXC8KmKVgiSDk+FFIZyv1an/LVJyLGp02z+QdohMZ2Hlj4It6ZOnwZ9mDBFsX4CK2Hd+QChQ==$extra",
    };
}
