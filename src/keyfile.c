/*
 * keyfile.c - ed25519 key pairs kept as a file holding the secret half in
 * hex, mode 0600: the post's audit signing key (audit_sign.c) and the
 * ministry's bundle signing key (bundle.c).  A key file readable by others
 * is refused rather than used, so a leaked copy is noticed, not trusted.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum sarhad_status
sarhad__keyfile_create(const char *path, unsigned char secret[64],
                       unsigned char public_key[32], const char *what,
                       struct sarhad_error *err)
{
    char hex[2 * crypto_sign_SECRETKEYBYTES + 2];
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    size_t len;
    bool ok;

    if (fd < 0)
        return sarhad__fail(err, errno == EEXIST ? SARHAD_EEXIST : SARHAD_EIO,
                            "key", SIZE_MAX, "cannot create the %s file: %s",
                            what, strerror(errno));
    crypto_sign_keypair(public_key, secret);
    sodium_bin2hex(hex, sizeof(hex), secret, crypto_sign_SECRETKEYBYTES);
    len = strlen(hex);
    hex[len++] = '\n';
    ok = write(fd, hex, len) == (ssize_t)len && fsync(fd) == 0;
    sodium_memzero(hex, sizeof(hex));
    close(fd);
    if (!ok) {
        unlink(path);
        return sarhad__fail(err, SARHAD_EIO, "key", SIZE_MAX,
                            "cannot write the %s file", what);
    }
    return SARHAD_OK;
}

static enum sarhad_status
read_key(int fd, unsigned char secret[64], unsigned char public_key[32],
         const char *what, struct sarhad_error *err)
{
    char hex[2 * crypto_sign_SECRETKEYBYTES + 8];
    struct stat st;
    ssize_t n;
    size_t bin_len = 0;
    enum sarhad_status s = SARHAD_OK;

    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return sarhad__fail(err, SARHAD_EIO, "key", SIZE_MAX,
                            "the %s is not a regular file", what);
    if ((st.st_mode & 077) != 0)
        return sarhad__fail(err, SARHAD_EIO, "key", SIZE_MAX,
                            "the %s file is readable by others;"
                            " make it mode 0600",
                            what);
    n = read(fd, hex, sizeof(hex) - 1);
    if (n < 0)
        return sarhad__fail(err, SARHAD_EIO, "key", SIZE_MAX,
                            "cannot read the %s: %s", what, strerror(errno));
    hex[n] = '\0';
    if (sodium_hex2bin(secret, crypto_sign_SECRETKEYBYTES, hex, (size_t)n, "\n",
                       &bin_len, NULL) != 0 ||
        bin_len != crypto_sign_SECRETKEYBYTES)
        s = sarhad__fail(err, SARHAD_EFORMAT, "key", SIZE_MAX,
                         "the %s file does not hold an ed25519 key", what);
    else
        crypto_sign_ed25519_sk_to_pk(public_key, secret);
    sodium_memzero(hex, sizeof(hex));
    return s;
}

enum sarhad_status
sarhad__keyfile_read(const char *path, unsigned char secret[64],
                     unsigned char public_key[32], const char *what,
                     struct sarhad_error *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    enum sarhad_status s;

    if (fd < 0)
        return sarhad__fail(
            err, errno == ENOENT ? SARHAD_ENOTFOUND : SARHAD_EIO, "key",
            SIZE_MAX, "cannot open the %s: %s", what, strerror(errno));
    s = read_key(fd, secret, public_key, what, err);
    close(fd);
    return s;
}
