#!/usr/bin/env bash
# Brings up a single-node Slurm cluster on this machine, for trying vaelab's
# sharded sweeps (and for its CI): munged, slurmctld and slurmd on localhost
# with all of the machine's CPUs in one partition, `debug`.
#
#   sudo deploy/slurm/local-cluster.sh          # install if missing, configure, start
#   sudo deploy/slurm/local-cluster.sh stop     # stop the daemons
#
# It installs Debian's `slurm-wlm` and `munge` when they are missing. The
# configuration avoids kernel features a container may lack: process tracking
# by /proc (proctrack/linuxproc), no task affinity plugin (task/none) and no
# cgroups. Daemons run as root (SlurmUser=root), which is fine on a throwaway
# single-user node and wrong on a real cluster: use your site's cluster there.
set -euo pipefail

conf_dir=/etc/slurm
state_dir=/var/spool/slurmctld
spool_dir=/var/spool/slurmd
log_dir=/var/log/slurm

if [[ "${1:-start}" == stop ]]; then
    pkill -x slurmd || true
    pkill -x slurmctld || true
    pkill -x munged || true
    # A daemon that is still saving its state would be taken for a running one.
    for _ in $(seq 1 30); do
        pgrep slurmd >/dev/null || pgrep slurmctld >/dev/null || pgrep munged >/dev/null || exit 0
        sleep 1
    done
    echo "local-cluster.sh: the daemons did not stop" >&2
    exit 1
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "local-cluster.sh: run as root (it installs packages and starts daemons)" >&2
    exit 1
fi

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "== installing slurm-wlm and munge from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

host=$(hostname -s)
cpus=$(nproc)
# Memory in MiB that Slurm may hand out: what the machine has, less 1 GiB.
mem=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) - 1024 ))

mkdir -p "$conf_dir" "$state_dir" "$spool_dir" "$log_dir" /run/munge /var/log/munge
cat >"$conf_dir/slurm.conf" <<CONF
ClusterName=vaelab-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
StateSaveLocation=$state_dir
SlurmdSpoolDir=$spool_dir
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$log_dir/slurmctld.log
SlurmdLogFile=$log_dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MaxArraySize=10000
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
# No cgroup.conf: with proctrack/linuxproc and task/none slurmd needs no cgroup plugin.
rm -f "$conf_dir/cgroup.conf"

if [[ ! -s /etc/munge/munge.key ]]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown -R munge:munge /etc/munge /run/munge /var/log/munge 2>/dev/null || true
chmod 0400 /etc/munge/munge.key
chmod 0755 /run/munge

pgrep -x munged >/dev/null || runuser -u munge -- /usr/sbin/munged
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd

# Wait until the node takes jobs.
for _ in $(seq 1 60); do
    state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
    if [[ "$state" == idle* || "$state" == mix* || "$state" == alloc* ]]; then
        echo "local Slurm is up: node $host, $cpus CPUs, partition debug ($state)"
        exit 0
    fi
    # A node that came back from an earlier run may need to be told it is fine.
    scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
    sleep 1
done
echo "local-cluster.sh: the node did not become idle; see $log_dir/slurmctld.log and $log_dir/slurmd.log" >&2
sinfo >&2 || true
exit 1
