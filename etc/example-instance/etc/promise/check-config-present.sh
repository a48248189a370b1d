#!/bin/sh
# Works: the instance's configuration file exists.
test -f "$INSTANCE_HOME/etc/service.conf" || {
	echo "missing $INSTANCE_HOME/etc/service.conf"
	exit 1
}
