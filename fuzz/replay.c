/*
 * replay.c - runs a fuzz target's LLVMFuzzerTestOneInput over saved inputs
 * without libFuzzer, so `make test` replays every corpus and every crasher
 * under whatever sanitizers the build has.  Arguments are files or
 * directories (read one level deep).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data;
    long size;

    if (f == NULL) {
        perror(path);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc(size > 0 ? (size_t)size : 1);
    if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "%s: cannot read\n", path);
        fclose(f);
        free(data);
        return -1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(data, (size_t)size);
    free(data);
    return 1;
}

static int
replay_path(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    int count = 0;
    char child[4096];

    if (stat(path, &st) != 0)
        return 0; /* a target may have no regressions yet */
    if (!S_ISDIR(st.st_mode))
        return replay_file(path);
    d = opendir(path);
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        int n;
        if (e->d_name[0] == '.')
            continue;
        snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
        if (stat(child, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        n = replay_file(child);
        if (n < 0) {
            closedir(d);
            return -1;
        }
        count += n;
    }
    closedir(d);
    return count;
}

int
main(int argc, char **argv)
{
    int total = 0;

    for (int i = 1; i < argc; i++) {
        int n = replay_path(argv[i]);
        if (n < 0)
            return 1;
        total += n;
    }
    printf("replayed %d inputs\n", total);
    return 0;
}
