/**
 * Joule's model zoo: classic ImageNet architectures as shape-only IR models, and a MAC and
 * parameter counter.
 *
 * @example
 * const { macs, params } = countModel(zoo.mobilenet_v2.build());
 */
export { zoo, zooNames, listZoo, isZooName } from './registry';
export type { ZooName, ZooEntry, ZooListing, ZooBuildOptions, PublishedCounts } from './registry';
export { countModel, countWithValues, nodeMacs, isLearnableInput, shapeLookup } from './count';
export type { LayerCount, ModelCount, ShapeOf } from './count';
