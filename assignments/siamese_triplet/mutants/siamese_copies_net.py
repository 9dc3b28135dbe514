"""SiameseNet deep-copies the embedding net for its second branch: the two branches start equal
but no longer share weights."""

import copy


class SiameseNet(nn.Module):
    def __init__(self, embedding_net):
        super().__init__()
        self.embedding_net = embedding_net
        self.second = copy.deepcopy(embedding_net)

    def forward(self, x1, x2):
        return self.embedding_net(x1), self.second(x2)
