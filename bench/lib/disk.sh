# disk.sh - sourced by the benchmark scripts: how fast this disk makes
# small writes durable.  Durable commits wait for a flush, and on this
# machine the flush rate varies twenty-fold from one hour to the next, so
# every durable figure is printed beside it.

# fsync_rate DIR: 4 KiB O_DSYNC writes per second into DIR.
fsync_rate() {
    local t0 t1
    t0=$(date +%s%N)
    dd if=/dev/zero of="$1/fsync.tmp" bs=4k count=200 oflag=dsync status=none
    t1=$(date +%s%N)
    rm -f "$1/fsync.tmp"
    echo $((200 * 1000000000 / (t1 - t0)))
}
