/**
 * Topic names of the nara plaza: builders and a parser for every plaza topic, MQTT filter matching, and
 * validation of nara names (the part of a topic a user chooses).
 *
 * @packageDocumentation
 */
export { InvalidFilterError, InvalidNameError } from './errors.js';
export {
  compileFilter,
  type FilterCheck,
  type FilterRejection,
  MAX_TOPIC_BYTES,
  matchesFilter,
  type TopicMatcher,
  type TopicNameCheck,
  type TopicNameRejection,
  validateFilter,
  validateTopicName,
} from './filters.js';
export {
  assertValidName,
  isValidName,
  MAX_NAME_BYTES,
  type NameCheck,
  type NameRejection,
  validateName,
  validateNameBytes,
} from './names.js';
export {
  buildTopic,
  CHAU_TOPIC,
  CHECKPOINT_OPS,
  type CheckpointOp,
  checkpointTopic,
  escapeNameLevel,
  HEY_THERE_TOPIC,
  isCheckpointOp,
  MAX_PLAZA_TOPIC_BYTES,
  newspaperTopic,
  PLAZA_FILTER,
  type PlazaKind,
  type PlazaTopic,
  parseTopic,
  STASH_REFRESH_TOPIC,
  successionTopic,
  type TopicParse,
  type TopicRejection,
  unescapeNameLevel,
} from './plaza.js';
