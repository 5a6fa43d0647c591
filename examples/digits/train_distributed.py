"""Trains a digits model on several processes with torch.distributed (DistributedDataParallel, gloo backend, CPU),
using the PyTorch module netc emits, and exports the weights the C++ code loads: tools/train_digits.py's
training, its data split and its export, spread over processes. Launch it with torchrun:

    torchrun --standalone --nproc_per_node=2 examples/digits/train_distributed.py \\
        --netc build/compiler/netc --model examples/digits/digits_resnet.net --out build/digits_ddp

(Debian 12's PyTorch 1.13 under Python 3.11 needs `--redirects 1 --tee 1` after torchrun: its launcher cannot
read its own default of 0.) On several machines, run the same command on each with --nnodes N and a rendezvous
endpoint that all of them reach instead of --standalone (see the README). Without torchrun it trains on one
process, as tools/train_digits.py does.

Each process trains on its share of the training split (DistributedSampler); DDP averages the gradients, so a
global batch of 64 split over the processes takes the same steps as one process's batch of 64. Batch norm
normalises each process's part of the batch, and DDP gives every process rank 0's running statistics. Rank 0
evaluates the held-out split and writes NAME.safetensors (with PyTorch's predictions, which the C++ evaluate
program compares with its own) and heldout.safetensors into --out.
"""
import argparse
import os
import socket
import sys

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import train_digits  # noqa: E402

GLOBAL_BATCH = 64  # as tools/train_digits.py


def load_model(args, rank):
    """The emitted module's class: --module, or rank 0 runs netc (the others wait) and every rank imports it."""
    if args.module:
        return train_digits.load_module(args.module)
    path = os.path.join(args.out, os.path.splitext(os.path.basename(args.model))[0] + ".py")
    if rank == 0:
        train_digits.emit_module(args.netc, args.model, args.out)
    dist.barrier()
    return train_digits.load_module(path)


def train(model, x, y, args, world):
    sampler = DistributedSampler(TensorDataset(torch.from_numpy(x), torch.from_numpy(y).long()), seed=args.seed)
    loader = DataLoader(sampler.dataset, batch_size=GLOBAL_BATCH // world, sampler=sampler)
    ddp = DistributedDataParallel(model)
    optimizer = torch.optim.Adam(ddp.parameters(), lr=3e-3, weight_decay=1e-4)
    loss_fn = torch.nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)  # a new shuffle each epoch, the same on every process
        ddp.train()
        for images, labels in loader:
            optimizer.zero_grad()
            loss = loss_fn(ddp(images, logits=True), labels)
            loss.backward()  # DDP averages the gradients over the processes here
            optimizer.step()
        if dist.get_rank() == 0 and (epoch + 1) % 10 == 0:
            print(f"epoch {epoch + 1}/{args.epochs}: last batch loss {loss.item():.4f}", flush=True)
    return model.eval()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--netc", help="netc, to emit the module of --model")
    p.add_argument("--model", help="the .net file")
    p.add_argument("--module", help="the module netc emitted (netc_add_model(... PYTORCH)), instead of --netc/--model")
    p.add_argument("--out", required=True)
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    if not args.module and not (args.netc and args.model):
        p.error("give --module, or --netc and --model")
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    if "RANK" not in os.environ:  # not under torchrun: one process
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            os.environ.update(RANK="0", WORLD_SIZE="1", MASTER_ADDR="127.0.0.1", MASTER_PORT=str(s.getsockname()[1]))
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    if GLOBAL_BATCH % world != 0:
        p.error(f"the global batch of {GLOBAL_BATCH} does not split over {world} processes")
    name, cls = load_model(args, rank)
    x_train, x_test, y_train, y_test = train_digits.split()
    torch.manual_seed(args.seed)  # the same initial weights everywhere (DDP also broadcasts rank 0's)
    model = train(cls(), x_train, y_train, args, world)
    if rank == 0:
        print(f"{name}: trained on {world} processes, {len(x_train)} images, {args.epochs} epochs", flush=True)
        train_digits.export(model, name, x_test, y_test, args.out,
                            {"train.epochs": str(args.epochs), "train.seed": str(args.seed),
                             "train.processes": str(world)})
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
