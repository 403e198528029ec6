# ditvm: `make test` and `make run` do all set-up on a fresh machine.
SHELL := /bin/bash
JDK := $(shell scripts/find-jdk.sh)
ifeq ($(JDK),)
$(error no JDK 25 found; see the line above)
endif
export JAVA_HOME := $(JDK)
MVN := mvn -B --no-transfer-progress -Dstyle.color=never

.PHONY: setup build peers test test-slurm run bench gpu-bundle clean

setup:
	@scripts/setup-opencl.sh
	@scripts/setup-python-torch.sh

build:
	$(MVN) -q -DskipTests install

# the core and experiments-peers (ONNX Runtime, libtorch through DJL: about 250 MB from Maven
# Central, once), for `ablation --peers`
peers:
	$(MVN) -q -DskipTests -Ppeers install

# every module, the peers too: their test runs --peers on a tiny model
test: setup
	$(MVN) -Ppeers install
	scripts/test-slurm-sweep.sh

# `sweep --slurm` on a throwaway one-node Slurm cluster (installs slurm-wlm and munge as root; skips, saying why, elsewhere)
test-slurm:
	scripts/test-slurm-sweep.sh

run: setup build
	bin/ditvm devices
	bin/ditvm ablation

# `make bench BENCH=Gemm` runs only the benchmarks whose names match that JMH regex.
bench: setup build
	scripts/bench.sh $(BENCH)

# package, not install: the bundle takes the jars from the module target folders
gpu-bundle:
	$(MVN) -q -DskipTests package
	scripts/gpu-bundle.sh

clean:
	$(MVN) -q clean
