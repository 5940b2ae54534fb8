export { ScheduleError } from '../../common/errors';
